"""Runs one Python use case for the service: length-prefixed MessagePack frames on stdin and the original stdout.

The service starts one such process per worker of a Python use case and talks to it in requests and answers:
  ["load", path]                    -> ["loaded", name, variant, target_behaviour, pickled initial state]
                                       | ["refused", file, line, message]
  ["settings", id, dict]            -> ["ok"] | ["error", type, message, frame]
  ["evaluate", state, transaction, settings id, customer, history start]
                                    -> ["ok", pickled state, message or None] | ["error", type, message, frame]
The state travels pickled with every call, so this process keeps nothing a crash could lose. Anything the use case
prints goes to stderr, which the service logs; the protocol keeps the real stdout to itself.
"""
import importlib.util
import os
import pickle
import sys
import traceback

import msgpack

from pipeline_use_case import Context, Customer, Transaction, from_unix_micros

PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL


def main():
    protocol_out = os.dup(1)
    os.dup2(2, 1)  # print() in a use case must not corrupt the frames
    source = sys.stdin.buffer
    module = None
    path = None
    settings = {}
    while True:
        header = source.read(4)
        if len(header) < 4:
            return
        size = int.from_bytes(header, "little")
        request = msgpack.unpackb(source.read(size), raw=False)
        op = request[0]
        if op == "evaluate":
            answer = evaluate(module, path, settings, request)
        elif op == "load":
            path = request[1]
            module, answer = load(path)
        elif op == "settings":
            answer = read_settings(module, path, settings, request[1], request[2])
        else:
            answer = ["error", "ProtocolError", f"unknown request {op!r}", ""]
        payload = msgpack.packb(answer, use_bin_type=True)
        write_all(protocol_out, len(payload).to_bytes(4, "little") + payload)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def evaluate(module, path, settings, request):
    _, state, fields, settings_id, customer, history_start = request
    try:
        transaction = Transaction(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6],
                                  from_unix_micros(fields[7]))
        context = Context(Customer(customer[0], customer[1]), from_unix_micros(history_start))
        result = module.evaluate(pickle.loads(state), transaction, settings[settings_id], context)
        if not isinstance(result, tuple) or len(result) != 2:
            raise TypeError(f"evaluate must return (state, message or None), not {type(result).__name__}")
        new_state, message = result
        if message is not None and not isinstance(message, str):
            raise TypeError(f"evaluate's message must be a str or None, not {type(message).__name__}")
        return ["ok", pickle.dumps(new_state, PICKLE_PROTOCOL), message]
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: a use case never stops its worker
        return failure(error, path)


def load(path):
    name = "pipeline_use_case_" + os.path.splitext(os.path.basename(path))[0].replace("-", "_")
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for required in ("NAME", "initial_state", "evaluate"):
            if not hasattr(module, required):
                raise AttributeError(f"the use case defines no {required} (see pipeline_use_case's docstring)")
        variant = getattr(module, "VARIANT", "A")
        target = getattr(module, "TARGET_BEHAVIOUR", None)
        initial = pickle.dumps(module.initial_state(), PICKLE_PROTOCOL)
        return module, ["loaded", module.NAME, variant, target, initial]
    except SyntaxError as error:
        return None, ["refused", error.filename or path, error.lineno or 0, f"SyntaxError: {error.msg}"]
    except BaseException as error:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path] or \
            traceback.extract_tb(error.__traceback__)[-1:]
        line = frames[-1].lineno if frames else 0
        return None, ["refused", path, line, f"{type_name(error)}: {error}"]


def read_settings(module, path, settings, settings_id, raw):
    try:
        reader = getattr(module, "read_settings", None)
        settings[settings_id] = reader(raw) if reader else raw
        return ["ok"]
    except BaseException as error:
        return failure(error, path)


def failure(error, path):
    frames = traceback.extract_tb(error.__traceback__)
    own = [f for f in frames if f.filename == path]
    last = (own or frames)[-1] if frames else None
    where = f"{os.path.basename(last.filename)}:{last.lineno} in {last.name}" if last else ""
    return ["error", type_name(error), str(error), where]


def type_name(error):
    kind = type(error)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


if __name__ == "__main__":
    main()
