# Using a name that was never bound raises NameError; output printed before it is kept.
def greet(name):
    message = "hello " + name
    return mesage


print("start")
print(greet("ada"))
