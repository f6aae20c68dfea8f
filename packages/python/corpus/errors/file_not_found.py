# Opening a file that does not exist raises FileNotFoundError (an OSError) with errno 2 and
# the name; uncaught, it ends the program.
try:
    open("no_such_file.txt")
except OSError as e:
    print(type(e).__name__, e.errno, e.strerror, e.filename)

print("opening it again, uncaught")
open("no_such_file.txt", "rb")
