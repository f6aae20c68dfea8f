# A program's module starts with the names python3 gives __main__ when it runs a file.
names = list(globals())
print(names)
print(__name__, __doc__, __package__, __spec__, __cached__, __annotations__)
print(type(__builtins__).__name__, __file__.endswith(".py"))
