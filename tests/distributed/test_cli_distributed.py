#!/usr/bin/env python3
"""`lucidpp train` as a data-parallel job under mpirun: one run folder written by rank 0, the
default task solved, a 2-rank run resumed on 3 ranks from its step, Ctrl-C on mpirun saving
the checkpoint first, and an error on one rank ending the whole job.

usage: test_cli_distributed.py PATH/TO/mpirun PATH/TO/lucidpp
Needs only Python's standard library. Every job is bounded by a timeout.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

MPIRUN = LUCIDPP = None


def mpirun(ranks, *args, timeout=120):
    return subprocess.run([MPIRUN, "-np", str(ranks), LUCIDPP, *args], capture_output=True,
                          text=True, timeout=timeout)


def read_json(path):
    with open(path) as file:
        return json.load(file)


def read_jsonl(path):
    with open(path) as file:
        return [json.loads(line) for line in file if line.strip()]


class DistributedCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="lucidpp-mpi-")
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_two_ranks_solve_the_default_task_in_one_run_folder(self):
        out = os.path.join(self.dir, "run")
        result = mpirun(2, "train", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        final = json.loads(result.stdout)  # one result line: only rank 0 prints
        self.assertTrue(final["solved"], final)
        self.assertEqual(sorted(os.listdir(out)),
                         ["checkpoint.json", "config.json", "loss.svg", "metrics.jsonl"])
        self.assertEqual(read_json(os.path.join(out, "config.json"))["world_size"], 2)
        self.assertEqual(result.stderr.count("Total params"), 1)  # one summary, from rank 0

    def test_a_two_rank_checkpoint_resumes_on_three_ranks(self):
        out = os.path.join(self.dir, "run")
        small = ["--hidden", "12", "--batch-size", "12", "--eval-every", "5",
                 "--no-stop-when-solved"]
        first = mpirun(2, "train", "--out", out, "--steps", "10", *small)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(read_json(os.path.join(out, "checkpoint.json"))["step"], 10)
        resumed = mpirun(3, "train", "--resume", "--out", out, "--steps", "20")
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertIn("resuming adding", resumed.stderr)
        steps = [record["step"] for record in read_jsonl(os.path.join(out, "metrics.jsonl"))]
        self.assertEqual(steps, [0, 5, 10, 15, 20])
        self.assertEqual(read_json(os.path.join(out, "checkpoint.json"))["step"], 20)

    def test_ctrl_c_on_mpirun_saves_the_checkpoint_and_stops_every_rank(self):
        out = os.path.join(self.dir, "run")
        process = subprocess.Popen(
            [MPIRUN, "-np", "2", LUCIDPP, "train", "--out", out, "--steps", "100000",
             "--no-stop-when-solved", "--hidden", "12", "--batch-size", "8",
             "--eval-every", "1000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        checkpoint = os.path.join(out, "checkpoint.json")
        deadline = time.monotonic() + 60
        while not os.path.exists(checkpoint) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # some steps past the step-0 checkpoint
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        self.assertNotEqual(process.returncode, 0, stderr)
        self.assertIn("interrupted at step", stderr)
        self.assertGreater(read_json(checkpoint)["step"], 0, stderr)

    def test_an_error_names_the_rank_and_ends_the_job(self):
        out = os.path.join(self.dir, "run")
        result = mpirun(3, "train", "--out", out, "--batch-size", "2", timeout=60)
        self.assertNotEqual(result.returncode, 0)
        # Every rank finds the same mistake; whichever aborts first ends the job.
        self.assertRegex(result.stderr, r"lucidpp: error: rank [0-2]: data parallel: a batch of "
                                        r"2 rows cannot be shared by 3 ranks")
        self.assertFalse(os.path.exists(os.path.join(out, "checkpoint.json")))


if __name__ == "__main__":
    MPIRUN, LUCIDPP = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
