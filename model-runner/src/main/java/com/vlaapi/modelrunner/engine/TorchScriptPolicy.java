package com.vlaapi.modelrunner.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.vlaapi.modelrunner.bundle.InvalidManifestException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript policy loaded through DJL's PyTorch engine:
 * {@code forward(image (B,3,H,W) float32, tokens (B,L) int64) -> (action (B,A), embedding (B,E))}.
 * The caller batches; this class only stacks the batch into tensors and splits the outputs.
 */
public final class TorchScriptPolicy implements AutoCloseable {

    private final Model model;
    private final Device device;
    private final int height;
    private final int width;
    private final int actionSize;
    private final int embeddingSize;

    private TorchScriptPolicy(Model model, Device device, int height, int width, int actionSize, int embeddingSize) {
        this.model = model;
        this.device = device;
        this.height = height;
        this.width = width;
        this.actionSize = actionSize;
        this.embeddingSize = embeddingSize;
    }

    public static TorchScriptPolicy load(Path bundleDir, String modelFile, Device device,
                                         int height, int width, int actionSize, int embeddingSize) {
        String prefix = modelFile.endsWith(".pt") ? modelFile.substring(0, modelFile.length() - 3) : modelFile;
        Model model = Model.newInstance(prefix, device, "PyTorch");
        try {
            model.load(bundleDir, prefix, Map.of("mapLocation", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new InvalidManifestException(bundleDir.resolve(modelFile) + ": cannot be loaded as TorchScript: "
                    + e.getMessage(), e);
        }
        return new TorchScriptPolicy(model, device, height, width, actionSize, embeddingSize);
    }

    /**
     * Runs one batch. {@code images} holds {@code batch} tensors of 3*H*W floats back to back,
     * {@code tokens} holds {@code batch} rows of word ids.
     */
    public List<PolicyOutput> forward(float[] images, long[] tokens, int batch) {
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            NDArray image = manager.create(FloatBuffer.wrap(images), new Shape(batch, 3, height, width));
            NDArray words = manager.create(LongBuffer.wrap(tokens), new Shape(batch, tokens.length / batch));
            NDList outputs = model.getBlock().forward(new ParameterStore(manager, false), new NDList(image, words), false);
            float[] actions = outputs.get(0).toFloatArray();
            float[] embeddings = outputs.get(1).toFloatArray();
            checkShape(actions.length, batch * actionSize, "action");
            checkShape(embeddings.length, batch * embeddingSize, "embedding");
            List<PolicyOutput> result = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                float[] action = new float[actionSize];
                float[] embedding = new float[embeddingSize];
                System.arraycopy(actions, i * actionSize, action, 0, actionSize);
                System.arraycopy(embeddings, i * embeddingSize, embedding, 0, embeddingSize);
                result.add(new PolicyOutput(action, embedding));
            }
            return result;
        }
    }

    private static void checkShape(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException("model returned " + actual + " " + what + " values, manifest promises "
                    + expected + "; the bundle's manifest does not describe its model.pt");
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
