package com.vlaapi.modelrunner.ood;

import com.vlaapi.modelrunner.bundle.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;

/** Reads a bundle's reference embeddings (little-endian float32, count x embedding size, row-major). */
public final class ReferenceEmbeddings {

    private ReferenceEmbeddings() {
    }

    /** The references of a bundle whose manifest has an {@code ood} section (the reader checked the file's size). */
    public static float[] read(ModelManifest manifest) {
        if (!manifest.hasOod()) {
            throw new IllegalArgumentException(manifest.name() + " " + manifest.version() + " has no reference embeddings");
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(manifest.ood().referenceFile()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest.ood().referenceFile(), e);
        }
    }
}
