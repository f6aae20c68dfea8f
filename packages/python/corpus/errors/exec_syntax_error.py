# A syntax error in text given to exec() is raised where exec() is called; the traceback shows
# the call, then the text's own place, `File "<string>", line 1`, with carets under the error.
def run(source):
    exec(source)


print("running")
run("total = 1 +* 2")
