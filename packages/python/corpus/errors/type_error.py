# Adding a str to an int raises TypeError with a message naming both types.
def label(count):
    return count + " items"


print("labels:")
for n in [3]:
    print(label(n))
