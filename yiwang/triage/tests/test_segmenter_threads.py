"""The word segmenter is set up once per process, safely when a threaded server's first requests arrive
together (rjieba refuses two threads adding words at once: "Already borrowed")."""

import threading

from yiwang.triage import classifier


def test_the_first_requests_of_a_threaded_server_segment_alike(monkeypatch):
    monkeypatch.setattr(classifier, "_segmenter", None)
    start, results, errors = threading.Barrier(8), [], []

    def first_request():
        start.wait()
        try:
            results.append(classifier.words("六横渔船的船老大拖欠工资"))
        except Exception as error:  # noqa: BLE001 (the failure under test is whatever rjieba raises)
            errors.append(error)

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 8 and all(r == results[0] for r in results)
    assert "船老大" in results[0] and "六横" in results[0]
