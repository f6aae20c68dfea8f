# A memoryview of a bytearray locks its size: while any view exists, anything that would resize
# the bytearray raises BufferError. Writing in place is still allowed, through the view or the
# bytearray, and release() (or leaving a with block) unlocks it.
b = bytearray(b"hello")
m = memoryview(b)

for name, change in [
    ("append", lambda: b.append(33)),
    ("extend", lambda: b.extend(b"!!")),
    ("+=", lambda: b.__iadd__(b"!")),
    ("pop", lambda: b.pop()),
    ("del b[:1]", lambda: b.__delitem__(slice(0, 1))),
    ("clear", lambda: b.clear()),
]:
    try:
        change()
        print(name, "worked")
    except BufferError as e:
        print(name, "->", type(e).__name__ + ":", e)

# Same-length changes do not resize, so they work.
b[0] = ord("j")
b[1:3] = b"EL"
m[4] = ord("!")
print(b, m.tobytes())

# A slice of the view shares its lock: the bytearray stays locked until both are released.
s = m[1:3]
m.release()
try:
    b.append(0)
except BufferError:
    print("still locked by the slice")
s.release()
b.append(0)
print("unlocked:", b)

with memoryview(b) as view:
    try:
        b.pop()
    except BufferError:
        print("locked inside the with block")
b.pop()
print("unlocked after it:", b)
