# A pipeline of generators holds one item at a time, whatever the length of the stream.
import tracemalloc


def numbers(n):
    for i in range(n):
        yield i


def squares(source):
    for x in source:
        yield x * x


def evens(source):
    for x in source:
        if x % 2 == 0:
            yield x


def total(n):
    return sum(evens(squares(numbers(n))))


total(10)  # warm up once, so the measured calls allocate only what they need
tracemalloc.start()
print(total(1000))
small_peak = tracemalloc.get_traced_memory()[1]
tracemalloc.reset_peak()
print(total(100000))
big_peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
# A list of 100,000 squares would take megabytes; the pipeline's peak barely moves.
print("peak grew by less than 1 KiB:", big_peak - small_peak < 1024)
print("list() of a pipeline:", list(evens(squares(numbers(7)))))
