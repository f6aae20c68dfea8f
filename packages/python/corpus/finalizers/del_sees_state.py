# Inside __del__ the object is still whole: its attributes can be read to clean up.
log = []


class Connection:
    def __init__(self, host, port):
        self.host = host
        self.port = port
        self.open = True

    def __del__(self):
        log.append(f"closing {self.host}:{self.port} (open={self.open})")


c = Connection("db.local", 5432)
c2 = Connection("cache.local", 6379)
c2.open = False
del c
del c2
for line in log:
    print(line)
