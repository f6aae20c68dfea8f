# Lists as stacks (append/pop) and a bracket matcher built on one.
def balanced(text):
    pairs = {")": "(", "]": "[", "}": "{"}
    stack = []
    for ch in text:
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
    return not stack


for s in ["(a[b]{c})", "(]", "((", "", "{[()()]}"]:
    print(repr(s), balanced(s))
queue = [1, 2, 3]
queue.append(4)
print("dequeued:", queue.pop(0), "rest:", queue)
queue.insert(0, 0)
queue.extend([5, 6])
queue.remove(3)
print(queue, queue.index(4), queue.count(6))
queue.reverse()
print(queue, queue[::2], queue[-2:])
