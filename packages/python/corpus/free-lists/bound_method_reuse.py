# Bound method objects are created on every attribute access; a freed one's memory is reused.
class Greeter:
    def hello(self):
        return "hello"


g = Greeter()
# Two separate accesses make two different objects ...
print("same object:", g.hello is g.hello)
# ... but the first dies before the second is made, so they share an address.
print("same id:", id(g.hello) == id(g.hello))
m1 = g.hello
m2 = g.hello
print("both kept, same id:", id(m1) == id(m2))
print("equal though:", m1 == m2)
