"""Demos y widgets construidos sobre las funciones del propio estudiante.

Los cuadernos pasan sus funciones (por ejemplo `relu`) a las figuras y widgets de `course/`. Mientras una de
ellas es todavía el esqueleto (`raise NotImplementedError()`), `demo` muestra una sola línea en español que
dice qué completar, en lugar de una traza de error. Al corregir (nbgrader) las demos no se ejecutan.
"""

from collections.abc import Callable
from typing import TypeVar

import course

T = TypeVar("T")


def pending_message(needs: str) -> str:
    """La línea que ve quien aún no completó `needs` (p. ej. «`relu` (ejercicio 5)»)."""
    return f"ⓘ Completa {needs} para ver esta parte."


def demo(action: Callable[[], T], needs: str) -> T | None:
    """Ejecuta `action` (una figura, un widget, una tabla que usa funciones del estudiante) y devuelve su resultado.

    Si alguna de esas funciones todavía lanza `NotImplementedError`, imprime `pending_message(needs)`, cierra
    las figuras a medio dibujar y devuelve None. Al corregir con nbgrader no hace nada (las demos no puntúan)."""
    if course.GRADING:
        return None
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    try:
        return action()
    except NotImplementedError:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)
        print(pending_message(needs))
        return None


#: Ancho aproximado (px) de un carácter en las etiquetas de los widgets de JupyterLab (letra de 13 px).
CHAR_PX = 7.5
#: Largo del riel de un deslizador y del número que lo acompaña, en píxeles.
SLIDER_TRACK_PX = 200
READOUT_PX = 60
#: Ancho de una lista desplegable sin su descripción, en píxeles.
DROPDOWN_PX = 170


def text_px(text: str) -> int:
    """Ancho estimado, en píxeles, de `text` escrito en una etiqueta o un botón."""
    return round(len(text) * CHAR_PX) + 10


def fit(*controls):
    """Ajusta cada control al largo de su texto y devuelve la lista: las descripciones de un mismo grupo
    comparten el ancho de la más larga (quedan alineadas y completas), los deslizadores conservan un riel de
    `SLIDER_TRACK_PX` y los botones son tan anchos como su texto y su ícono."""
    import ipywidgets

    labelled = [c for c in controls if hasattr(c.style, "description_width") and c.description]
    label = max((text_px(c.description) for c in labelled), default=0)
    for control in controls:
        if isinstance(control, ipywidgets.Button):
            control.layout.width = f"{text_px(control.description) + (30 if control.icon else 16)}px"
        elif control in labelled:
            control.style.description_width = f"{label}px"
            body = SLIDER_TRACK_PX + READOUT_PX if "Slider" in type(control).__name__ else DROPDOWN_PX
            control.layout.width = f"{label + body}px"
    return list(controls)


def png_size(png: bytes) -> tuple[int, int]:
    """`(ancho, alto)` en píxeles de una imagen PNG (leídos de su cabecera)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def widget_png(fig) -> bytes:
    """La figura de un widget como PNG, con compresión rápida (se redibuja a menudo), y la cierra."""
    from course import plots

    return plots.to_png(fig, compress_level=1)


class FigureView:
    """La única manera en que los widgets del curso muestran una figura que cambia.

    `draw(make_figure)` dibuja la figura nueva, la convierte en PNG y la muestra a su tamaño natural (sin
    estirarla) en un `ipywidgets.Image`; si una función del estudiante aún lanza `NotImplementedError`, en su
    lugar muestra una línea que dice qué completar (`needs`). `box` es el widget a colocar en la interfaz.
    """

    def __init__(self, needs: str):
        import ipywidgets

        self.needs = needs
        self.image = ipywidgets.Image(format="png")
        self.message = ipywidgets.Label()
        self.caption = ipywidgets.Label()
        self.box = ipywidgets.VBox([self.message, self.image, self.caption])

    def draw(self, make_figure: Callable[[], object]) -> bool:
        """Muestra la figura que devuelve `make_figure()` (o `(figura, texto)`: el texto va debajo); devuelve
        False si falta una función del estudiante."""
        import matplotlib.pyplot as plt

        before = set(plt.get_fignums())
        try:
            drawn = make_figure()
        except NotImplementedError:
            for number in set(plt.get_fignums()) - before:
                plt.close(number)
            self.message.value = pending_message(self.needs)
            return False
        fig, text = drawn if isinstance(drawn, tuple) else (drawn, "")
        png = widget_png(fig)
        width, height = png_size(png)
        self.message.value = ""
        self.caption.value = text
        self.image.value = png
        self.image.layout.width = f"{width}px"   # sin esto, una VBox la estira a todo su ancho
        self.image.layout.height = f"{height}px"
        return True

    def say(self, text: str) -> None:
        """Escribe una línea sobre la figura (por ejemplo, qué falta para el siguiente paso)."""
        self.message.value = text


class Panel:
    """Controles → función de dibujo → `FigureView`: la lógica de todos los widgets del curso.

    `controls` es `{nombre: control}`; `draw(**valores)` devuelve una figura (o `(figura, texto)`) y puede
    usar funciones del estudiante. `needs` dice cuáles: un texto, o una función de los mismos valores que
    devuelve el texto (cuando depende de lo elegido). Sin `button`, se redibuja al soltar un control
    (`continuous_update=False`: una actualización por gesto); con `button`, al presionarlo. Los controles se
    ajustan a su texto con `fit`. Con `draw_now=False` la primera figura espera al primer gesto (para dibujos
    lentos). `view.box` es la figura, a colocar debajo de los controles."""

    def __init__(self, controls: dict, draw: Callable[..., object], needs: str | Callable[..., str],
                 button=None, draw_now: bool = True):
        self.controls = controls
        self.draw = draw
        self.needs = needs
        self.view = FigureView(needs if isinstance(needs, str) else "")
        self._holding = False
        fit(*controls.values(), *([button] if button is not None else []))
        if button is None:
            for control in controls.values():
                if hasattr(control, "continuous_update"):
                    control.continuous_update = False
                control.observe(self.update, names="value")
        else:
            button.on_click(self.update)
        if draw_now:
            self.update()

    def values(self) -> dict:
        """`{nombre: valor}` de los controles."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, _=None) -> bool:
        """Redibuja con los valores actuales; devuelve False si falta una función del estudiante."""
        if self._holding:
            return False
        values = self.values()
        drawn = self.view.draw(lambda: self.draw(**values))
        if not drawn and not isinstance(self.needs, str):
            self.view.say(pending_message(self.needs(**values)))
        return drawn

    def set(self, **values) -> bool:
        """Mueve varios controles a la vez y redibuja una sola vez (p. ej. «Restaurar los pesos»)."""
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        return self.update()


def in_columns(items: list, n: int = 2):
    """Los widgets `items` repartidos en `n` columnas (una `HBox` de `VBox`)."""
    import ipywidgets

    per_column = -(-len(items) // n)
    return ipywidgets.HBox([ipywidgets.VBox(items[i:i + per_column]) for i in range(0, len(items), per_column)])


def panel(controls: dict, draw: Callable[..., object], needs: str | Callable[..., str], button=None,
          columns: int = 2, draw_now: bool = True):
    """Un widget completo en una llamada (ver `Panel`): los controles en `columns` columnas, el botón (si
    hay) y la figura debajo. Devuelve la caja a mostrar."""
    import ipywidgets

    view = Panel(controls, draw, needs, button, draw_now).view
    return ipywidgets.VBox([in_columns(list(controls.values()), columns), *([button] if button is not None else []),
                            view.box])
