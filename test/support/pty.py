"""Runs a command on a new pseudo-terminal, as a person at a terminal runs it (for tests: Node has
no pseudo-terminal of its own).

usage: python3 pty.py [--pipe-stdout] -- COMMAND [ARG...]

The command's stdin and stderr are the terminal, and so is its stdout unless --pipe-stdout makes
it a pipe (as in `kafkaform apply | tee log`), copied to our file descriptor 3. What the terminal
shows is copied to our stdout. Our stdin takes one JSON object a line: {"keys": "yes\\r"} types
on the terminal, {"signal": "SIGINT"} signals the command. We exit with the command's exit code,
or 128 + n when signal n ended it, as a shell reports it.
"""
import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import termios


def main():
    args = sys.argv[1:]
    pipe = args[:1] == ['--pipe-stdout']
    if pipe:
        args = args[1:]
    if args[:1] == ['--']:
        args = args[1:]
    master, slave = os.openpty()

    def take_terminal():
        # The new session's controlling terminal, so /dev/tty and terminal signals work as usual.
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(
        args,
        stdin=slave,
        stdout=subprocess.PIPE if pipe else slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=take_terminal,
    )
    os.close(slave)
    stdin = sys.stdin.fileno()
    copies = {master: 1}
    if pipe:
        copies[child.stdout.fileno()] = 3
    pending = b''
    while copies:
        watched = list(copies) + ([stdin] if stdin is not None else [])
        ready, _, _ = select.select(watched, [], [])
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal reads EIO once the command has closed it
                data = b''
            if fd == stdin:
                if not data:
                    stdin = None
                    continue
                pending += data
                while b'\n' in pending:
                    line, pending = pending.split(b'\n', 1)
                    order = json.loads(line)
                    if 'keys' in order:
                        os.write(master, order['keys'].encode('utf-8'))
                    if 'signal' in order:
                        child.send_signal(getattr(signal, order['signal']))
            elif data:
                os.write(copies[fd], data)
            else:
                del copies[fd]
    code = child.wait()
    sys.exit(128 - code if code < 0 else code)


main()
