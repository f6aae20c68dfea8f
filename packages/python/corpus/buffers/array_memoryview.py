# A memoryview of an array.array sees the array's own items, with their struct format and
# size: no bytes are copied, writes through the view change the array, and cast() reads the
# same bytes another way. While a view is alive the array cannot be resized.
import array

readings = array.array("h", [10, 20, 30, 40])
view = memoryview(readings)
print(view.format, view.itemsize, view.nbytes, view.tolist())

view[0] = -1
evens = view[::2]
print(readings, evens.tolist())
print(view.cast("B").tolist())

try:
    readings.append(50)
except BufferError as e:
    print("BufferError:", e)

view.release()
evens.release()
readings.append(50)
print(readings)
