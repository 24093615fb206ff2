package com.vlaapi.modelrunner.image;

import com.vlaapi.modelrunner.bundle.ModelManifest.ImageSpec;

/** Camera image bytes to the model's input tensor, exactly as training built it. */
public final class ImagePreprocessor {

    private final ImageDecoder decoder;
    private final TriangleResizer resizer;
    private final DecodeSlots slots;
    private final ImageSpec spec;

    public ImagePreprocessor(ImageDecoder decoder, TriangleResizer resizer, DecodeSlots slots, ImageSpec spec) {
        this.decoder = decoder;
        this.resizer = resizer;
        this.slots = slots;
        this.spec = spec;
    }

    /** The model's input: float32, channel-major (3 x height x width), normalised with the manifest's mean/std. */
    public record ImageTensor(float[] values, int sourceWidth, int sourceHeight) {
    }

    /** Decodes and resizes in one of the runner's decode slots, row by row as the decoder produces them. */
    public ImageTensor toInputTensor(byte[] imageBytes) {
        return slots.run(() -> {
            try (RgbRows rows = decoder.open(imageBytes)) {
                return new ImageTensor(normalise(resizer.resize(rows, spec.width(), spec.height())),
                        rows.width(), rows.height());
            }
        });
    }

    /**
     * (value / scale - mean) / std as one multiply and add per value: divisions were most of this
     * loop's time, and the difference (an ulp of a double) is lost in the cast to float.
     */
    private float[] normalise(double[] resized) {
        int plane = spec.width() * spec.height();
        float[] out = new float[resized.length];
        for (int c = 0; c < 3; c++) {
            double std = spec.std()[c];
            double factor = 1.0 / (spec.scale() * std);
            double offset = -spec.mean()[c] / std;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                out[i] = (float) (resized[i] * factor + offset);
            }
        }
        return out;
    }
}
