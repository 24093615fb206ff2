"""Closed-loop episodes: what the in-process evaluation and the API client test rely on.

    cd reference-policy/training && /usr/bin/python3 -m unittest discover -s tests
"""
import math
import subprocess
import sys
import unittest

import numpy as np

from vla_train import camera, episodes, scenes

SEEDS = episodes.EPISODE_SEEDS[:10]


def close_now(image, instruction, state):
    return [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]] * scenes.CHUNK_LENGTH


class EpisodeTest(unittest.TestCase):
    def test_importable_without_torch(self):
        code = ("import sys; sys.modules['torch'] = None\n"
                "from vla_train import episodes, camera\n"
                "print(episodes.RENDER_SIZE)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=".")
        self.assertEqual(done.returncode, 0, done.stderr)

    def test_starts_high_and_far_from_the_target(self):
        for seed in episodes.EPISODE_SEEDS:
            s = episodes.initial_scene(seed)
            t = s.objects[s.target]
            self.assertGreaterEqual(math.hypot(s.gripper[0] - t.x, s.gripper[1] - t.y), scenes.START_DISTANCE_M)
            self.assertGreaterEqual(s.gripper[2], 0.10)

    def test_the_expert_succeeds_in_every_held_out_episode(self):
        for seed in episodes.EPISODE_SEEDS:
            result = episodes.run_episode(seed, episodes.expert_policy(seed))
            self.assertTrue(result.success, result)
            self.assertLess(result.steps, 40)

    def test_the_policy_is_called_every_replan_steps(self):
        calls = []

        def counting(image, instruction, state):
            calls.append(state)
            return episodes.expert_policy(SEEDS[0])(image, instruction, state)
        result = episodes.run_episode(SEEDS[0], counting, replan=2)
        self.assertEqual(result.policy_calls, len(calls))
        self.assertEqual(result.policy_calls, math.ceil(result.steps / 2))

    def test_closing_high_or_on_nothing_fails(self):
        result = episodes.run_episode(SEEDS[0], close_now)
        self.assertEqual((result.success, result.reason, result.steps), (False, "too_high", 1))

        def descend_then_close(image, instruction, state):
            if state[2] > scenes.GRASP_Z_M:
                return [[0.0, 0.0, -scenes.MAX_STEP_M, 0, 0, 0, 0]]
            return [[0.0, 0.0, 0.0, 0, 0, 0, 1.0]]
        result = episodes.run_episode(SEEDS[0], descend_then_close)
        self.assertFalse(result.success)
        self.assertIn(result.reason, ("empty", "distractor"))

    def test_steps_are_clipped_and_the_table_is_a_floor(self):
        seen = []

        def wild(image, instruction, state):
            seen.append(state)
            return [[1.0, -1.0, -1.0, 0, 0, 0, 0]] * scenes.CHUNK_LENGTH
        result = episodes.run_episode(SEEDS[0], wild, max_steps=8)
        self.assertEqual(result.reason, "timeout")
        start = episodes.initial_scene(SEEDS[0]).gripper
        self.assertAlmostEqual(seen[1][0] - start[0], 4 * scenes.MAX_STEP_M)
        self.assertAlmostEqual(seen[1][1] - start[1], -4 * scenes.MAX_STEP_M)
        self.assertEqual(seen[1][2], 0.0)

    def test_without_state_the_policy_gets_none(self):
        states = []

        def record(image, instruction, state):
            states.append(state)
            self.assertEqual(image.shape, (episodes.RENDER_SIZE, episodes.RENDER_SIZE, 3))
            self.assertEqual(image.dtype, np.uint8)
            return close_now(image, instruction, state)
        episodes.run_episode(SEEDS[0], record, with_state=False)
        self.assertEqual(states, [None])

    def test_same_seed_same_frames_also_through_a_camera(self):
        def frames(seed):
            seen = []

            def record(image, instruction, state):
                seen.append(image.copy())
                return episodes.expert_policy(seed)(image, instruction, state)
            episodes.run_episode(seed, record, camera=camera.perturbation(camera.TABLE[4][0]))
            return seen
        a, b = frames(SEEDS[1]), frames(SEEDS[1])
        self.assertEqual(len(a), len(b))
        self.assertTrue(all(np.array_equal(x, y) for x, y in zip(a, b)))


class ChunkTest(unittest.TestCase):
    def test_chunk_starts_with_the_expert_action_and_holds_after_closing(self):
        for seed in range(200):
            s = scenes.sample_scene(seed)
            chunk = scenes.expert_chunk(s)
            self.assertEqual(len(chunk), scenes.CHUNK_LENGTH)
            self.assertEqual(chunk[0], s.expert_action)
            closed = [k for k, a in enumerate(chunk) if a[6] >= 0.5]
            if closed:
                for a in chunk[closed[0]:]:
                    self.assertEqual(a, [0.0] * 6 + [1.0])


class CameraTest(unittest.TestCase):
    def test_every_table_perturbation_keeps_the_frame_shape_and_changes_it(self):
        image = scenes.render(scenes.sample_scene(7), 256)
        for label, _, _ in camera.TABLE:
            out = camera.perturbation(label)(image, np.random.default_rng(0))
            self.assertEqual((out.shape, out.dtype), (image.shape, np.uint8), label)
            self.assertFalse(np.array_equal(out, image), label)


if __name__ == "__main__":
    unittest.main()
