"""Every form of image the client takes becomes the same picture: pure logic, no fleet."""
import io
import pathlib
import unittest

import numpy
from PIL import Image

from vla_client.images import image_bytes

REPO = pathlib.Path(__file__).resolve().parents[3]
CAMERA_IMAGE = REPO / "reference-policy/evalsets/tabletop-v1/images/0001.png"


def decoded(data: bytes) -> numpy.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return numpy.asarray(image)


class ImageBytesTest(unittest.TestCase):

    def setUp(self):
        self.file_bytes = CAMERA_IMAGE.read_bytes()
        self.pixels = decoded(self.file_bytes)

    def test_a_path_as_str_or_pathlike_is_read_as_it_is(self):
        self.assertEqual(self.file_bytes, image_bytes(str(CAMERA_IMAGE)))
        self.assertEqual(self.file_bytes, image_bytes(CAMERA_IMAGE))

    def test_bytes_go_as_they_are(self):
        for form in (self.file_bytes, bytearray(self.file_bytes), memoryview(self.file_bytes)):
            with self.subTest(form=type(form).__name__):
                self.assertEqual(self.file_bytes, image_bytes(form))

    def test_a_pil_image_becomes_a_png_of_the_same_pixels(self):
        with Image.open(CAMERA_IMAGE) as image:
            data = image_bytes(image)
        self.assertTrue(data.startswith(b"\x89PNG"))
        numpy.testing.assert_array_equal(self.pixels, decoded(data))

    def test_a_pil_image_in_a_mode_png_readers_may_not_take_becomes_rgb(self):
        cmyk = Image.open(CAMERA_IMAGE).convert("RGB").convert("CMYK")
        with Image.open(io.BytesIO(image_bytes(cmyk))) as sent:
            self.assertEqual("RGB", sent.mode)
            self.assertEqual(cmyk.size, sent.size)

    def test_a_numpy_rgb_frame_becomes_a_png_of_the_same_pixels(self):
        frame = numpy.asarray(Image.open(CAMERA_IMAGE).convert("RGB"))
        numpy.testing.assert_array_equal(frame, decoded(image_bytes(frame)))

    def test_greyscale_rgba_and_non_contiguous_frames(self):
        rng = numpy.random.default_rng(7)
        rgba = rng.integers(0, 256, size=(5, 9, 4), dtype=numpy.uint8)
        grey = rng.integers(0, 256, size=(6, 4), dtype=numpy.uint8)
        numpy.testing.assert_array_equal(rgba, decoded(image_bytes(rgba)))
        numpy.testing.assert_array_equal(grey, decoded(image_bytes(grey)))
        numpy.testing.assert_array_equal(grey, decoded(image_bytes(grey[:, :, None])))
        # A camera's BGR buffer flipped to RGB is a view with negative strides.
        bgr = rng.integers(0, 256, size=(8, 8, 3), dtype=numpy.uint8)
        numpy.testing.assert_array_equal(bgr[:, :, ::-1], decoded(image_bytes(bgr[:, :, ::-1])))

    def test_a_float_frame_is_refused_with_how_to_convert_it(self):
        with self.assertRaisesRegex(ValueError, "uint8"):
            image_bytes(numpy.zeros((4, 4, 3), dtype=numpy.float32))

    def test_a_frame_of_another_shape_is_refused(self):
        for shape in ((4, 4, 2), (4,), (2, 4, 4, 3)):
            with self.subTest(shape=shape), self.assertRaisesRegex(ValueError, "height x width"):
                image_bytes(numpy.zeros(shape, dtype=numpy.uint8))

    def test_anything_else_is_refused_naming_what_it_takes(self):
        with self.assertRaisesRegex(TypeError, "path, bytes, a PIL image or a numpy array"):
            image_bytes(42)


if __name__ == "__main__":
    unittest.main()
