# json.loads raises JSONDecodeError, a ValueError, for text that is not JSON; uncaught, it ends
# the program with its message naming the line and column where reading stopped.
import json

good = json.loads('{"debug": true, "level": 3}')
print("loaded:", good)

config_text = """{
    "debug": true,
    "level": 3,
    'name': "demo"
}"""
settings = json.loads(config_text)
print("not reached", settings)
