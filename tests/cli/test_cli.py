#!/usr/bin/env python3
"""End-to-end tests of the `lucidpp` program: exit codes, error lines, the run folder, eval,
and bit-exact resume (also after Ctrl-C).

usage: test_cli.py PATH/TO/lucidpp
Needs only Python's standard library.
"""
import json
import math
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ElementTree

LUCIDPP = None
TASKS = ["adding", "copy_memory", "parity", "reber", "mackey_glass", "char_lm"]
# A small model, so that the runs below take a fraction of a second.
SMALL = ["--hidden", "12", "--batch-size", "8"]


def run(*args, timeout=60):
    return subprocess.run([LUCIDPP, *args], capture_output=True, text=True, timeout=timeout)


def read_jsonl(path):
    with open(path) as file:
        return [json.loads(line) for line in file if line.strip()]


def read_json(path):
    with open(path) as file:
        return json.load(file)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="lucidpp-cli-")
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, name, text):
        with open(self.path(name), "w") as file:
            file.write(text)
        return self.path(name)

    def assert_fails(self, result, code, *needles):
        """Exit `code`, nothing on stdout, one error line on stderr holding every needle."""
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.strip().split("\n")
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("lucidpp: error: "), lines[0])
        for needle in needles:
            self.assertIn(needle, lines[0])

    def assert_run_fails(self, result, code, *needles):
        """As assert_fails, for a run that logged before it failed: the error is the last line."""
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(result.stdout, "")
        last = result.stderr.strip().split("\n")[-1]
        self.assertTrue(last.startswith("lucidpp: error: "), last)
        for needle in needles:
            self.assertIn(needle, last)

    def train(self, out, *args):
        result = run("train", "adding", "--out", out, *SMALL, *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    # --- help, version, usage errors (exit 2) ---

    def test_help_everywhere(self):
        for command in [[], ["train"], ["eval"], ["sample"], ["tasks"]]:
            result = run(*command, "--help")
            self.assertEqual(result.returncode, 0, command)
            self.assertIn("Usage:", result.stdout)
        self.assertIn("--resume", run("train", "--help").stdout)
        self.assertIn("--temperature", run("sample", "--help").stdout)

    def test_version(self):
        result = run("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^lucidpp \d+\.\d+\.\d+\n$")

    def test_usage_errors_exit_2(self):
        self.assert_fails(run(), 2, "subcommand")
        self.assert_fails(run("frobnicate"), 2, "unknown command 'frobnicate'", "train, eval, sample, tasks")
        self.assert_fails(run("train", "--bogus"), 2, "--bogus", "lucidpp train --help")
        self.assert_fails(run("train", "--hidden", "-3"), 2, "--hidden")
        self.assert_fails(run("train", "--hidden", "many"), 2, "--hidden")
        self.assert_fails(run("train", "--seed", "-1"), 2, "--seed")
        self.assert_fails(run("train", "--model", "transformer"), 2, "--model: model must be rnn, gru or lstm, got 'transformer'")
        self.assert_fails(run("train", "--dropout", "1"), 2, "[0, 1)")
        self.assert_fails(run("train", "--lr", "0"), 2, "--lr")
        self.assert_fails(run("train", "--resume"), 2, "--out")
        self.assert_fails(run("eval"), 2, "CHECKPOINT")
        self.assert_fails(run("sample", "x.json", "--temperature", "-1"), 2, "--temperature")

    def test_unknown_task_names_the_list(self):
        result = run("train", "nosuch")
        self.assert_fails(result, 2, "unknown task 'nosuch'", ", ".join(TASKS))

    def test_absurd_sizes_and_rates_on_the_command_line_exit_2(self):
        out = self.path("run")
        for value in ["9223372036854775807", "9223372036854775808", "1e20"]:
            self.assert_fails(run("train", "--hidden", value, "--out", out), 2,
                              "--hidden: must be an integer in [1, 65536], got")
        self.assert_fails(run("train", "--hidden", "3.7", "--out", out), 2, "--hidden: expected an integer, got 3.7")
        self.assert_fails(run("train", "--lr", "inf", "--out", out), 2, "--lr: 'inf' is not a finite number")
        self.assert_fails(run("train", "--lr", "1e400", "--out", out), 2, "--lr: 1e400 is out of the range of a double")
        self.assert_fails(run("train", "--lr", "-1", "--out", out), 2, "--lr: lr must be positive, got -1")
        self.assert_fails(run("train", "--seed", "-1", "--out", out), 2, "--seed: must not be negative, got -1")
        self.assert_fails(run("train", "--hidden", "16384", "--layers", "4", "--out", out), 2,
                          "would have", "parameters; the limit is 268435456")
        self.assertFalse(os.path.exists(out), "a refused start must not leave a run folder")

    # --- missing or corrupt files (exit 1) ---

    def test_missing_or_corrupt_config_exits_1(self):
        out = self.path("run")
        missing = self.path("missing.json")
        self.assert_fails(run("train", "--config", missing, "--out", out), 1, missing)
        corrupt = self.write("corrupt.json", '{"hidden": ')
        self.assert_fails(run("train", "--config", corrupt, "--out", out), 1, corrupt, "not valid JSON")
        unknown = self.write("unknown.json", '{"hiden": 3}')
        self.assert_fails(run("train", "--config", unknown, "--out", out), 1, "unknown key 'hiden'")
        wrong = self.write("wrong.json", '{"hidden": "big"}')
        self.assert_fails(run("train", "--config", wrong, "--out", out), 1, "'hidden' has the wrong type")
        bad_task = self.write("task.json", '{"task": "nosuch"}')
        self.assert_fails(run("train", "--config", bad_task, "--out", out), 1, "unknown task 'nosuch'")
        self.assertFalse(os.path.exists(out), "a failed start must not leave a run folder")

    def test_missing_or_corrupt_checkpoint_exits_1(self):
        missing = self.path("missing.json")
        self.assert_fails(run("eval", missing), 1, f"eval: checkpoint '{missing}'", "cannot open")
        self.assert_fails(run("sample", missing), 1, f"sample: checkpoint '{missing}'", "cannot open")
        garbage = self.write("garbage.json", "not json at all")
        self.assert_fails(run("eval", garbage), 1, garbage)
        other = self.write("other.json", '{"format": "lucidpp.state_dict", "version": 1}')
        self.assert_fails(run("eval", other), 1, "not a lucidpp checkpoint")

        self.train(self.path("run"), "--steps", "2")
        with open(self.path("run", "checkpoint.json")) as file:
            text = file.read()
        truncated = self.write("truncated.json", text[: len(text) // 2])
        self.assert_fails(run("eval", truncated), 1, "truncated")
        checkpoint = json.loads(text)
        del checkpoint["model"]
        no_model = self.write("no_model.json", json.dumps(checkpoint))
        self.assert_fails(run("eval", no_model), 1, no_model)
        self.assert_fails(run("train", "--resume", "--out", self.path("nowhere")), 1, "nowhere")

    def test_config_files_are_checked_before_anything_is_written(self):
        out = self.path("run")
        cases = [
            ('{"seed": -1}', "seed: must not be negative, got -1"),
            ('{"hidden": 3.7}', "hidden: expected an integer, got 3.7"),
            ('{"steps": 1e30}', "steps: must be an integer in [1, 1125899906842624], got 1e+30"),
            ('{"hidden":4}\0garbage', "is truncated or not valid JSON: a NUL byte at offset 12"),
            ('{"hidden":4} {"hidden":5}', "is truncated or not valid JSON"),
            ('{"batch_size": 4611686018427387904}', "batch_size: must be an integer in [1, 1048576]"),
            ('{"lr": 1e400}', "holds a number out of range"),
            ('{"hidden": 9223372036854775807}', "hidden: must be an integer in [1, 65536]"),
        ]
        for i, (text, needle) in enumerate(cases):
            path = self.write(f"config{i}.json", text)
            self.assert_fails(run("train", "--config", path, "--out", out), 1, path, needle)
            self.assertFalse(os.path.exists(out), f"{text!r} left a run folder")

    def test_checkpoint_fields_are_checked_and_eval_exits_1(self):
        self.train(self.path("run"), "--steps", "2")
        good = read_json(self.path("run", "checkpoint.json"))

        def refused(name, change, needle):
            checkpoint = json.loads(json.dumps(good))
            change(checkpoint)
            path = self.write(name, json.dumps(checkpoint))
            self.assert_fails(run("eval", path), 1, f"{path}: {needle}")

        refused("step.json", lambda c: c.update(step=-7), "step: must be an integer in [0, 2], got -7")
        refused("beyond.json", lambda c: c.update(step=3), "step: must be an integer in [0, 2], got 3")
        refused("count.json", lambda c: c.update(loss_count=-3), "loss_count: must be an integer in [0, 2], got -3")
        refused("version.json", lambda c: c.update(version=1.7), "version: expected an integer, got 1.7")
        refused("hidden.json", lambda c: c["config"].update(hidden=9223372036854775807),
                "config/hidden: must be an integer in [1, 65536], got 9223372036854775807")
        refused("huge.json", lambda c: c["config"].update(hidden=1e20),
                "config/hidden: must be an integer in [1, 65536], got 1e+20")
        refused("moments.json", lambda c: c["optimizer"]["state"].pop("0"),
                "optimizer/state: parameter 0 has no state, but the checkpoint is at step 2")
        refused("history.json", lambda c: c["history"][0].update(test_loss=None),
                "history/0/test_loss: expected a number")
        refused("format.json", lambda c: c.update(format=7), "not a lucidpp checkpoint")
        # --resume may not lower --steps below the steps done: the checkpoint would hold a step
        # beyond its steps.
        self.assert_fails(run("train", "--resume", "--out", self.path("run"), "--steps", "1"), 2,
                          "--resume cannot lower --steps to 1", "has done 2 steps already")
        self.assertEqual(read_json(self.path("run", "checkpoint.json"))["step"], 2)
        self.assertEqual(run("eval", self.path("run", "checkpoint.json")).returncode, 0)
        nul = self.write("nul.json", json.dumps(good) + "\0garbage")
        self.assert_fails(run("eval", nul), 1, nul, "NUL byte")

    # --- a short run, its folder, eval ---

    def test_short_run_writes_the_run_folder(self):
        out = self.path("run")
        result = self.train(out, "--steps", "20", "--eval-every", "5")
        summary = json.loads(result.stdout)
        self.assertEqual(summary["task"], "adding")
        self.assertEqual(summary["step"], 20)
        self.assertEqual(summary["metric_name"], "mse")
        self.assertEqual(summary["run"], out)
        # The model's summary table is logged (stderr) at the start: one GRU of hidden 12 and a head.
        self.assertIn("├─ rnn (GRU)", result.stderr)
        self.assertIn("Total params: 589", result.stderr)  # GRU 3 * 12 * (2 + 12) + 2 * 36, head 13

        config = read_json(os.path.join(out, "config.json"))
        self.assertEqual(config["task"], "adding")
        self.assertEqual(config["steps"], 20)
        self.assertEqual(config["hidden"], 12)
        self.assertEqual(config["model"], "gru")  # the task's default

        metrics = read_jsonl(os.path.join(out, "metrics.jsonl"))
        # Step 0 is evaluated before training: no training loss yet.
        self.assertEqual([m["step"] for m in metrics], [0, 5, 10, 15, 20])
        self.assertEqual(metrics[0]["train_loss"], "nan")
        self.assertEqual(metrics[0]["seconds"], 0)
        for m in metrics:
            self.assertEqual(list(m), ["step", "train_loss", "test_loss", "metric", "solved", "seconds",
                                      "skipped_steps"])
            self.assertEqual(m["skipped_steps"], 0)
            if m["step"] > 0:
                self.assertGreater(m["train_loss"], 0)
            self.assertGreater(m["test_loss"], 0)
            self.assertIs(m["solved"], m["metric"] <= 0.01)
        self.assertEqual(summary["metric"], metrics[-1]["metric"])
        # The adding problem's test loss is its metric, the MSE (in float32, the metric in float64).
        self.assertAlmostEqual(metrics[-1]["test_loss"], metrics[-1]["metric"], delta=1e-6)

        checkpoint = read_json(os.path.join(out, "checkpoint.json"))
        self.assertEqual(checkpoint["format"], "lucidpp.checkpoint")
        self.assertEqual(checkpoint["step"], 20)

        svg = ElementTree.parse(os.path.join(out, "loss.svg")).getroot()
        self.assertEqual(svg.tag, "{http://www.w3.org/2000/svg}svg")
        with open(os.path.join(out, "loss.svg"), encoding="utf-8") as file:
            text = file.read()
        self.assertEqual(text.count("<polyline"), 3)  # train, test, metric
        self.assertEqual((svg.get("width"), svg.get("height")), ("100%", None))  # fits its window
        self.assertTrue(svg.get("viewBox").startswith("0 0 "))
        self.assertIn("loss (MSE)", text)  # the adding problem's loss is a mean squared error
        self.assertIn("stroke-dasharray", text)  # the solved threshold
        self.assertIn("solved ≤ 0.01", text)

        evaluation = run("eval", os.path.join(out, "checkpoint.json"))
        self.assertEqual(evaluation.returncode, 0, evaluation.stderr)
        result = json.loads(evaluation.stdout)
        self.assertEqual(result["step"], 20)
        self.assertEqual(result["metric_name"], "mse")
        self.assertEqual(result["metric"], metrics[-1]["metric"])
        self.assertEqual(result["solved_at"], 0.01)

        self.assert_fails(run("sample", os.path.join(out, "checkpoint.json")), 2, "char_lm", "adding")
        self.assert_fails(run("train", "adding", "--out", out), 2, "already holds a run", "--resume")

    def test_config_file_then_flags(self):
        config = self.write("config.json", json.dumps({"task": "parity", "hidden": 9, "steps": 3, "lr": 0.5}))
        out = self.path("run")
        result = run("train", "--config", config, "--lr", "0.25", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        saved = read_json(os.path.join(out, "config.json"))
        self.assertEqual((saved["task"], saved["hidden"], saved["steps"], saved["lr"]), ("parity", 9, 3, 0.25))
        # A flag's task wins over the file's; the file's other keys still apply.
        out2 = self.path("run2")
        result = run("train", "adding", "--config", config, "--out", out2, "--batch-size", "4")
        self.assertEqual(result.returncode, 0, result.stderr)
        saved = read_json(os.path.join(out2, "config.json"))
        self.assertEqual((saved["task"], saved["hidden"], saved["steps"]), ("adding", 9, 3))

    # --- non-finite losses (--nonfinite) ---

    def blow_up(self, out, *args):
        """A run that diverges: plain SGD with lr 1e6 and no clipping makes the loss infinite at
        step 4 (steps 1-3 are finite)."""
        return run("train", "adding", "--out", out, *SMALL, "--optimizer", "sgd", "--lr", "1e6",
                   "--clip", "0", "--steps", "40", "--eval-every", "2", "--no-stop-when-solved", *args)

    def test_nonfinite_stop_exits_1_and_keeps_the_last_good_checkpoint(self):
        out, good = self.path("run"), self.path("good")
        self.assert_run_fails(self.blow_up(out), 1, "step 4: the loss is inf", "not applied",
                          f"{out}/checkpoint.json keeps the checkpoint of step 2")
        # The folder holds step 2, exactly as a run of 2 steps leaves it, and agrees with itself.
        good_run = run("train", "adding", "--out", good, *SMALL, "--optimizer", "sgd", "--lr", "1e6",
                       "--clip", "0", "--steps", "2", "--eval-every", "2", "--no-stop-when-solved")
        self.assertEqual(good_run.returncode, 0, good_run.stderr)
        self.assert_same_state(out, good)
        self.assertEqual([m["step"] for m in read_jsonl(os.path.join(out, "metrics.jsonl"))], [0, 2])
        evaluation = run("eval", os.path.join(out, "checkpoint.json"))
        self.assertEqual(evaluation.returncode, 0, evaluation.stderr)
        self.assertEqual(json.loads(evaluation.stdout)["step"], 2)
        # --nonfinite is one of the flags --resume may change; the run then goes on, skipping.
        resumed = run("train", "--resume", "--out", out, "--nonfinite", "skip")
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertEqual(read_json(os.path.join(out, "config.json"))["nonfinite"], "skip")

    def test_nonfinite_skip_counts_the_skipped_steps_and_writes_nan_as_a_string(self):
        out = self.path("run")
        result = self.blow_up(out, "--nonfinite", "skip")
        self.assertEqual(result.returncode, 0, result.stderr)
        summary = json.loads(result.stdout)  # strict JSON: no bare NaN
        self.assertEqual(summary["step"], 40)
        with open(os.path.join(out, "metrics.jsonl")) as file:
            text = file.read()
        self.assertNotIn("null", text)
        self.assertNotIn("NaN", text)
        metrics = [json.loads(line, parse_constant=self.fail) for line in text.splitlines()]
        self.assertEqual([m["step"] for m in metrics], list(range(0, 41, 2)))
        # Steps 1-3 are applied; from step 4 on every loss is infinite and skipped.
        self.assertEqual([m["skipped_steps"] for m in metrics], [0, 0, 1] + [2] * 18)
        self.assertIsInstance(metrics[1]["train_loss"], float)
        self.assertEqual(metrics[-1]["train_loss"], "nan")  # no step left to average
        self.assertIn(metrics[-1]["test_loss"], ["inf", "nan"])
        self.assertTrue(math.isnan(float(metrics[-1]["train_loss"])))  # reads back with float()
        # A checkpoint the program wrote is one it can read: its history holds "nan" too.
        checkpoint = read_json(os.path.join(out, "checkpoint.json"))
        self.assertEqual(checkpoint["history"][-1]["train_loss"], "nan")
        self.assertEqual(run("eval", os.path.join(out, "checkpoint.json")).returncode, 0)
        self.assertEqual(run("train", "--resume", "--out", out, "--steps", "42").returncode, 0)
        self.assert_fails(run("train", "--nonfinite", "ignore"), 2, "--nonfinite")

    # --- the run folder agrees with itself ---

    def test_a_kill_between_the_writes_leaves_the_checkpoint_ahead_never_behind(self):
        out, straight = self.path("run"), self.path("straight")
        args = ["train", "adding", "--out", out, *SMALL, "--steps", "20", "--eval-every", "5"]
        env = dict(os.environ, LUCIDPP_TEST_KILL_AFTER_FIRST_WRITE="10")
        killed = subprocess.run([LUCIDPP, *args], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(killed.returncode, -signal.SIGKILL, killed.stderr)
        checkpoint = read_json(os.path.join(out, "checkpoint.json"))
        metrics = read_jsonl(os.path.join(out, "metrics.jsonl"))
        # The checkpoint is written first: metrics.jsonl may lag it by an evaluation, never lead.
        self.assertEqual(checkpoint["step"], 10)
        self.assertEqual([m["step"] for m in metrics], [0, 5])
        self.assertEqual([h["step"] for h in checkpoint["history"]], [0, 5, 10])
        # --resume rewrites metrics.jsonl and loss.svg from the checkpoint, then carries on.
        resumed = run("train", "--resume", "--out", out)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.train(straight, "--steps", "20", "--eval-every", "5")
        self.assert_same_state(out, straight)
        drop_time = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]
        self.assertEqual(drop_time(read_jsonl(os.path.join(out, "metrics.jsonl"))),
                         drop_time(read_jsonl(os.path.join(straight, "metrics.jsonl"))))

    def test_a_failed_first_checkpoint_leaves_no_metrics(self):
        """A full disk, made with a file size limit: the checkpoint (~50 kB) cannot be written,
        the small files could. Nothing derived from a checkpoint may exist without it."""
        out = self.path("run")

        def small_files_only():
            resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead

        result = subprocess.run([LUCIDPP, "train", "adding", "--out", out, *SMALL, "--steps", "5",
                                 "--eval-every", "5"], capture_output=True, text=True,
                                preexec_fn=small_files_only, timeout=60)
        self.assert_run_fails(result, 1, "checkpoint.json", "File too large")
        self.assertEqual(sorted(os.listdir(out)), ["config.json"])
        self.assert_fails(run("train", "--resume", "--out", out), 1,
                          f"train --resume: checkpoint '{out}/checkpoint.json'", "cannot open")
        # The folder holds no run, so the same command simply starts it again.
        self.train(out, "--steps", "5", "--eval-every", "5")
        self.assertEqual(read_json(os.path.join(out, "checkpoint.json"))["step"], 5)

    # --- resume ---

    def resumable_run(self, out, steps, eval_every=5):
        # Two layers with dropout, so that the dropout stream must be restored too.
        return self.train(out, "--layers", "2", "--dropout", "0.3", "--seed", "7",
                          "--eval-every", str(eval_every), "--steps", str(steps))

    def assert_same_state(self, resumed, straight):
        a = read_json(os.path.join(resumed, "checkpoint.json"))
        b = read_json(os.path.join(straight, "checkpoint.json"))
        self.assertEqual(a["step"], b["step"])
        self.assertEqual(a["model"], b["model"])  # every float, bit for bit
        self.assertEqual(a["optimizer"], b["optimizer"])
        self.assertEqual(a["rng"], b["rng"])

    def test_resume_is_bit_exact(self):
        resumed, straight = self.path("resumed"), self.path("straight")
        self.resumable_run(resumed, 10)
        result = run("train", "--resume", "--out", resumed, "--steps", "20")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(read_json(os.path.join(resumed, "config.json"))["steps"], 20)
        self.resumable_run(straight, 20)
        self.assert_same_state(resumed, straight)
        drop_time = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]
        self.assertEqual(drop_time(read_jsonl(os.path.join(resumed, "metrics.jsonl"))),
                         drop_time(read_jsonl(os.path.join(straight, "metrics.jsonl"))))

        self.assert_fails(run("train", "--resume", "--out", resumed, "--hidden", "32"), 2, "--hidden")
        self.assert_fails(run("train", "parity", "--resume", "--out", resumed), 2, "TASK")
        scheduled = self.path("scheduled")
        self.train(scheduled, "--steps", "2", "--scheduler", "cosine")
        self.assert_fails(run("train", "--resume", "--out", scheduled, "--steps", "4"), 2, "'cosine' scheduler")
        # Nothing left to do: exits 0 and says so in its summary.
        again = run("train", "--resume", "--out", resumed)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(json.loads(again.stdout)["step"], 20)

    def test_ctrl_c_saves_and_resumes_bit_exact(self):
        interrupted, straight = self.path("interrupted"), self.path("straight")
        args = ["train", "adding", "--out", interrupted, *SMALL, "--layers", "2", "--dropout", "0.3",
                "--seed", "7", "--eval-every", "20", "--steps", "1000000"]
        process = subprocess.Popen([LUCIDPP, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The first evaluation after step 0 shows that training is under way.
        deadline = time.time() + 30
        metrics = os.path.join(interrupted, "metrics.jsonl")
        while (not os.path.exists(metrics) or len(read_jsonl(metrics)) < 2) and time.time() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        self.assertEqual(process.returncode, 130, stderr)
        self.assertEqual(stdout, "")
        self.assertIn(f"lucidpp train --resume --out {interrupted}", stderr)
        step = read_json(os.path.join(interrupted, "checkpoint.json"))["step"]
        self.assertGreaterEqual(step, 20)

        target = step + 3
        result = run("train", "--resume", "--out", interrupted, "--steps", str(target))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.resumable_run(straight, target, eval_every=20)
        self.assert_same_state(interrupted, straight)

    def test_sample_char_lm(self):
        out = self.path("lm")
        result = run("train", "char_lm", "--out", out, "--hidden", "8", "--batch-size", "4", "--steps", "2")
        self.assertEqual(result.returncode, 0, result.stderr)
        checkpoint = os.path.join(out, "checkpoint.json")
        sample = lambda *args: run("sample", checkpoint, "--prompt", "ab", "--length", "30", *args)
        first = sample("--seed", "3")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertTrue(first.stdout.startswith("ab"))
        self.assertEqual(len(first.stdout), 2 + 30 + 1)  # prompt, 30 characters, newline
        self.assertEqual(sample("--seed", "3").stdout, first.stdout)  # the seed fixes the text
        self.assertNotEqual(sample("--seed", "4").stdout, first.stdout)
        greedy = sample("--temperature", "0", "--seed", "5").stdout
        self.assertEqual(sample("--temperature", "0", "--seed", "6").stdout, greedy)

        # An absurd length is refused before any work; the largest allowed one streams: its
        # first characters arrive while it is still drawing (it would take most of an hour).
        self.assert_fails(run("sample", checkpoint, "--length", "99999999999", timeout=20), 2,
                          "--length 99999999999", "100000000")
        process = subprocess.Popen([LUCIDPP, "sample", checkpoint, "--length", "100000000"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            received = b""
            deadline = time.time() + 30
            while len(received) < 10000 and time.time() < deadline:
                ready, _, _ = select.select([process.stdout], [], [], 1)
                if ready:
                    received += os.read(process.stdout.fileno(), 65536)
            self.assertGreaterEqual(len(received), 10000)
            self.assertIsNone(process.poll())
        finally:
            process.kill()
            process.communicate()

    # --- tasks ---

    def test_tasks_lists_all_six(self):
        result = run("tasks")
        self.assertEqual(result.returncode, 0, result.stderr)
        listed = [line for line in result.stdout.split("\n") if line and not line.startswith(" ")]
        self.assertEqual(listed, TASKS)
        self.assertIn("solved at <= 0.01", result.stdout)  # adding's threshold
        tasks = json.loads(run("tasks", "--json").stdout)
        self.assertEqual([t["name"] for t in tasks], TASKS)
        adding = tasks[0]
        self.assertEqual(adding["metric"], {"name": "mse", "higher_is_better": False})
        self.assertEqual(adding["solved_at"], 0.01)
        self.assertAlmostEqual(adding["baseline"]["value"], 2 / 12)
        self.assertEqual(adding["defaults"]["model"], "gru")


if __name__ == "__main__":
    LUCIDPP = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
