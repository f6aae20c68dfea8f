# gc.collect only accepts generations 0, 1 and 2.
import gc

for gen in [0, 1, 2, 3, -1]:
    try:
        gc.collect(gen)
        print("generation", gen, "ok")
    except ValueError as e:
        print("generation", gen, "->", e)
