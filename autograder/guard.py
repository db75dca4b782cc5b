"""Runs inside every grading kernel (copied next to the launcher): the kernel's own machinery stays as it was
at start, so student code cannot change how later cells (the tests) run.

`install(ip)` keeps private copies of the shell's and the kernel's methods (instance and class attributes),
the input and AST transformers, the event callbacks, `sys` hooks, the builtins, `course.checks` and the NumPy
functions the checks use, and puts them back through independent triggers that student code cannot all
remove: an audit hook (`sys.addaudithook`; audit hooks cannot be removed) on every audited event (the kernel
raises several between two cells, before it transforms the next one), the `pre_run_cell` event, and wrappers
of the shell's and kernel's entry points at class level. The audit hook also refuses to replace the code of a
protected function (and, from Python 3.12 on, where class assignments are audited, a method of a protected
class), and `course.checks` and `numpy` refuse attribute assignment. This is best effort: what it cannot stop,
the static scan flags.
"""

import builtins
import functools
import sys
import threading
import types

#: IPython puts these builtins in and out around every cell: not the student's doing.
_TRAP_BUILTINS = {"get_ipython", "display", "exit", "quit", "__IPYTHON__"}
_BLOCKED = ("object.__setattr__", "object.__delattr__")
#: Thousands of these while importing a library: no restore on them (the kernel raises others between cells).
_IMPORTING = {"import", "open", "marshal.loads", "os.listdir", "os.scandir", "builtins.id"}
#: Frequent too, and raised by the kernel between two cells: the quick restore (the kernel's entry points).
_FREQUENT = {"object.__getattr__", "sys._getframe", "object.__setattr__", "object.__delattr__"}
#: Module code of the Python installation (an import), unlike a cell's code, runs without a restore first.
_INSTALLED = tuple(dict.fromkeys((sys.prefix, sys.base_prefix)))
_SHELL_ENTRY = ("run_cell", "transform_cell", "should_run_async")
_NUMPY = ("abs", "all", "allclose", "any", "argwhere", "array", "array2string", "array_equal", "asarray",
          "bool_", "errstate", "float64", "integer", "isclose", "isfinite", "max", "maximum", "mean", "ndarray",
          "printoptions", "sum")


class _Locked(types.ModuleType):
    """A module whose existing attributes cannot be reassigned or deleted (new ones may be added)."""

    def __setattr__(self, name, value):
        if name in vars(self) and vars(self)[name] is not value:
            raise AttributeError(f"{self.__name__}.{name} no se puede reemplazar durante la calificación")
        super().__setattr__(name, value)

    def __delattr__(self, name):
        raise AttributeError(f"{self.__name__}.{name} no se puede borrar durante la calificación")


def _methods(cls):
    """`{name: value}` of every callable or descriptor defined on `cls` itself."""
    return {n: v for n, v in vars(cls).items() if callable(v) or isinstance(v, (staticmethod, classmethod, property))}


def install(ip):
    """Snapshot the kernel's machinery now and restore it before everything the kernel does from here on."""
    import course.checks as checks
    import numpy

    kernel = getattr(ip, "kernel", None)
    objects = [o for o in (ip, kernel, getattr(kernel, "session", None), getattr(kernel, "iopub_socket", None),
                           ip.compile, ip.input_transformer_manager, ip.events, ip.displayhook, ip.display_pub,
                           ip.InteractiveTB, ip.SyntaxTB, ip.builtin_trap, ip.display_trap) if o is not None]
    classes = list(dict.fromkeys(c for o in objects for c in type(o).__mro__ if c.__module__ != "builtins"))
    state = {"busy": False}
    main_thread = threading.main_thread().ident

    def restore_after(*_):
        restore()

    ip.events.register("pre_run_cell", restore_after)

    def wrap(cls, name):
        original = getattr(cls, name)
        if getattr(original, "__wrapped__", None):
            return
        if isinstance(original, types.FunctionType) and original.__code__.co_flags & 0x80:  # coroutine
            @functools.wraps(original)
            async def wrapper(self, *args, **kwargs):
                restore()
                return await original(self, *args, **kwargs)
        else:
            @functools.wraps(original)
            def wrapper(self, *args, **kwargs):
                restore()
                return original(self, *args, **kwargs)
        setattr(cls, name, wrapper)

    for name in (*_SHELL_ENTRY, "run_cell_async"):
        wrap(type(ip), name)
    if kernel is not None:
        wrap(type(kernel), "do_execute")

    # The snapshot, after the grader's own callback and wrappers are in place.
    # (object, method names an instance attribute must not shadow, the object's own callables at start)
    instances = [(o, frozenset(n for c in type(o).__mro__ for n in _methods(c)),
                  {n: v for n, v in vars(o).items() if callable(v)}) for o in objects]
    class_methods = [(c, _methods(c)) for c in classes]
    entry = {*_SHELL_ENTRY, "run_cell_async", "_run_cell", "run_code", "run_ast_nodes", "transform_ast",
             "showtraceback", "_showtraceback", "do_execute", "execute_request", "dispatch_shell", "send"}
    entry_methods = [(c, {n: v for n, v in m.items() if n in entry}) for c, m in class_methods]
    entry_methods = [(c, m) for c, m in entry_methods if m]
    class_names = {id(c): frozenset(m) for c, m in class_methods}
    tm = ip.input_transformer_manager
    lists = [(ip, "ast_transformers", list(ip.ast_transformers)),
             (ip, "input_transformers_post", list(ip.input_transformers_post)),
             (tm, "cleanup_transforms", list(tm.cleanup_transforms)),
             (tm, "line_transforms", list(tm.line_transforms)),
             (tm, "token_transformers", list(tm.token_transformers))]
    same = [(ip, n, getattr(ip, n)) for n in ("input_transformer_manager", "compile", "events", "displayhook",
                                              "display_pub", "InteractiveTB", "SyntaxTB", "custom_exceptions",
                                              "builtin_trap", "display_trap")]
    if kernel is not None:
        same += [(ip, "kernel", kernel), (kernel, "shell", ip), (kernel, "session", kernel.session),
                 (kernel, "iopub_socket", kernel.iopub_socket), (kernel, "shell_handlers", kernel.shell_handlers)]
    handlers = dict(kernel.shell_handlers) if kernel is not None else {}
    events = ip.events.callbacks
    callbacks = {e: list(cbs) for e, cbs in events.items()}
    hooks = [("displayhook", (sys.displayhook, ip.displayhook, sys.__displayhook__)),
             ("excepthook", (sys.excepthook, sys.__excepthook__))]
    trace, profile = sys.gettrace(), sys.getprofile()
    saved_builtins = [(k, v) for k, v in vars(builtins).items() if k not in _TRAP_BUILTINS]
    saved_checks = list(vars(checks).items())
    saved_numpy = [(n, getattr(numpy, n)) for n in _NUMPY if hasattr(numpy, n)]
    functions = {id(v) for _, v in saved_checks if isinstance(v, types.FunctionType)}
    functions |= {id(v) for _, methods in class_methods for v in methods.values() if isinstance(v, types.FunctionType)}

    def fix_list(current, saved, put):
        """`saved` back in the list `current` (in place), or a copy of it through `put` if not a list."""
        if type(current) is not list:
            put(list(saved))
        elif len(current) != len(saved) or any(a is not b for a, b in zip(current, saved)):
            current[:] = saved

    def restore_dict(target, saved):
        for key, value in saved:
            if target.get(key, restore_dict) is not value:
                target[key] = value

    def restore_classes(pairs):
        for cls, methods in pairs:
            current = vars(cls)
            for name, value in methods.items():
                if current.get(name) is not value:
                    setattr(cls, name, value)

    def restore(quick=False):
        if state["busy"]:
            return
        state["busy"] = True
        try:
            for obj, name, value in same:
                if getattr(obj, name) is not value:
                    setattr(obj, name, value)
            for obj, shadows, allowed in instances[:2] if quick else instances:
                d = vars(obj)
                for name in d.keys() & shadows:
                    if name not in allowed:
                        del d[name]
                restore_dict(d, allowed.items())
            for obj, name, saved in lists:
                fix_list(getattr(obj, name), saved, functools.partial(setattr, obj, name))
            if ip.events.callbacks is not events:
                ip.events.callbacks = events
            for event, saved in callbacks.items():
                fix_list(events.get(event), saved, functools.partial(events.__setitem__, event))
            if handlers:
                restore_dict(kernel.shell_handlers, handlers.items())
            for name, allowed in hooks:
                current = getattr(sys, name)
                if not any(current is a for a in allowed):
                    setattr(sys, name, allowed[0] if name == "excepthook" else allowed[1])
            if threading.get_ident() == main_thread:
                if sys.gettrace() is not trace:
                    sys.settrace(trace)
                if sys.getprofile() is not profile:
                    sys.setprofile(profile)
            restore_classes(entry_methods)
            if quick:
                return
            restore_dict(vars(builtins), saved_builtins)
            restore_dict(vars(checks), saved_checks)
            restore_dict(vars(numpy), saved_numpy)
            if ip.user_ns.get("checks", checks) is not checks:
                ip.user_ns["checks"] = checks
            restore_classes(class_methods)
        except Exception:  # noqa: BLE001 - never break the kernel's own work
            pass
        finally:
            state["busy"] = False

    def audit(event, args):
        if state["busy"]:
            return
        if event in _BLOCKED and len(args) > 1 and (args[1] in class_names.get(id(args[0]), ()) or
                                                     id(args[0]) in functions):
            raise PermissionError(f"{args[1]}: el entorno de calificación no se puede "
                                  "modificar")
        if event in _IMPORTING or (event == "exec" and getattr(args[0], "co_filename", "").startswith(_INSTALLED)):
            return
        restore(quick=event in _FREQUENT)

    for module in (checks, numpy):
        module.__class__ = _Locked
    sys.addaudithook(audit)
    return restore
