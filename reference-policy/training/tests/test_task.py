"""Properties of the synthetic task that the model card relies on.

    cd reference-policy/training && /usr/bin/python3 -m unittest discover -s tests
"""
import math
import unittest

import numpy as np

from vla_train import evaluation, preprocess, scenes


class SceneTest(unittest.TestCase):
    def test_same_seed_same_scene_and_pixels(self):
        a, b = scenes.sample_scene(123), scenes.sample_scene(123)
        self.assertEqual(a.instruction, b.instruction)
        self.assertTrue(np.array_equal(scenes.render(a, 96), scenes.render(b, 96)))

    def test_colour_alone_or_shape_alone_never_identifies_the_target(self):
        for seed in range(500):
            s = scenes.sample_scene(seed)
            t = s.objects[s.target]
            others = [o for i, o in enumerate(s.objects) if i != s.target]
            self.assertFalse(any(o.colour == t.colour and o.shape == t.shape for o in others), seed)
            same_colour = any(o.colour == t.colour for o in others)
            same_shape = any(o.shape == t.shape for o in others)
            if len(s.objects) >= 3:
                self.assertTrue(same_colour and same_shape, seed)
            else:
                self.assertTrue(same_colour or same_shape, seed)

    def test_expert_moves_toward_target_then_descends_then_closes(self):
        for seed in range(300):
            s = scenes.sample_scene(seed)
            a = s.expert_action
            t = s.objects[s.target]
            gx, gy, gz = s.gripper
            dist = math.hypot(t.x - gx, t.y - gy)
            if dist >= scenes.NEAR_M:
                self.assertAlmostEqual(math.hypot(a[0], a[1]), scenes.MAX_STEP_M)
                self.assertGreater(a[0] * (t.x - gx) + a[1] * (t.y - gy), 0)
            elif gz > scenes.GRASP_Z_M + 0.005:
                self.assertLess(a[2], 0)
            else:
                self.assertEqual(a[6], 1.0)


class PreprocessTest(unittest.TestCase):
    def test_resize_rows_sum_to_one_and_flat_stays_flat(self):
        w = preprocess.resize_weights(256, 64)
        self.assertTrue(np.allclose(w.sum(axis=1), 1.0))
        flat = np.full((100, 70, 3), 77, dtype=np.uint8)
        self.assertTrue(np.allclose(preprocess.resize_chw(flat, 64, 64), 77.0))

    def test_tokenize_maps_unknown_words_and_pads(self):
        vocab = {t: i for i, t in enumerate(scenes.vocabulary())}
        ids = preprocess.tokenize("Pick up the CRIMSON cube!", vocab, 8)
        self.assertEqual(ids[3], vocab["<unk>"])
        self.assertEqual(ids[1], vocab["up"])
        self.assertEqual(list(ids[5:]), [0, 0, 0])


class SuccessTest(unittest.TestCase):
    def test_angle_tolerance(self):
        expert = [0.04, 0, 0, 0, 0, 0, 0]
        ok, bad = math.radians(24), math.radians(26)
        self.assertTrue(evaluation.success([0.04 * math.cos(ok), 0.04 * math.sin(ok), 0, 0, 0, 0, 0], expert, 0.04))
        self.assertFalse(evaluation.success([0.04 * math.cos(bad), 0.04 * math.sin(bad), 0, 0, 0, 0, 0], expert, 0.04))


if __name__ == "__main__":
    unittest.main()
