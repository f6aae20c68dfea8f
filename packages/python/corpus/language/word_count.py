# Counting words with a dict, then listing them by frequency with ties broken alphabetically.
text = """the quick brown fox jumps over the lazy dog the dog sleeps
and the fox runs quick as the wind over the hill"""
counts = {}
for word in text.split():
    counts[word] = counts.get(word, 0) + 1
ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
for word, n in ranked[:6]:
    print(f"{word:>6} {'#' * n} {n}")
print("distinct words:", len(counts), "total:", sum(counts.values()))
longest = max(counts, key=lambda w: (len(w), w))
print("longest:", longest)
