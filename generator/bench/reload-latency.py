#!/usr/bin/env python3
"""Time from saving a record file to the reload message of a running `deling serve`.

Usage: reload-latency.py <site root> <port> <record file> [saves]
Subscribes to the server's events, then appends a word to the record's summary and waits for
the message that lists the record's page; waits between saves until the background rebuild
that follows a refresh is done, so each save is timed on a quiet server. Prints each latency
in milliseconds and the median.
"""
import http.client
import json
import statistics
import sys
import threading
import time

root, port, record = sys.argv[1], int(sys.argv[2]), sys.argv[3]
saves = int(sys.argv[4]) if len(sys.argv) > 4 else 15

messages = []
arrived = threading.Condition()


def listen():
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/__deling/events")
    response = connection.getresponse()
    for line in response:
        if line.startswith(b"data: "):
            with arrived:
                messages.append((time.perf_counter(), json.loads(line[6:])))
                arrived.notify_all()


threading.Thread(target=listen, daemon=True).start()
time.sleep(0.5)
path = f"{root}/{record}"
latencies = []
for i in range(saves):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.replace('summary = "', f'summary = "Lagret{i} ', 1)
    with arrived:
        seen = len(messages)
    saved = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    with arrived:
        arrived.wait_for(lambda: len(messages) > seen, timeout=30)
        at, message = messages[seen]
    if message.get("problems"):
        sys.exit(f"the save failed to build: {message['problems']}")
    latencies.append((at - saved) * 1000)
    print(f"save {i + 1}: {latencies[-1]:.1f} ms ({len(message.get('changed', []))} files)")
    # Let the background rebuild finish before the next save.
    with arrived:
        arrived.wait_for(lambda: len(messages) > seen + 1, timeout=60)
    time.sleep(0.3)
print(f"median {statistics.median(latencies):.1f} ms, min {min(latencies):.1f}, max {max(latencies):.1f}")
