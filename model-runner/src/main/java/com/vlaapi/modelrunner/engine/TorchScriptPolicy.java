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
import com.vlaapi.modelrunner.bundle.ModelManifest;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript policy loaded through DJL's PyTorch engine:
 * {@code forward(image (B,3,H,W) float32, tokens (B,L) int64[, state (B,S+1) float32])
 * -> (actions (B,C,A) or (B,C*A), embedding (B,E))}, C being the manifest's chunk length (a model
 * of chunk length 1 may return (B,A)). Only models whose manifest declares {@code input.state} get
 * the state tensor: per row the S state values and a presence flag 1, or S+1 zeros when the request
 * has no state. The caller batches; this class only stacks the batch into tensors and splits the
 * outputs.
 */
public final class TorchScriptPolicy implements AutoCloseable {

    private final Model model;
    private final Device device;
    private final int height;
    private final int width;
    private final int chunkLength;
    private final int actionSize;
    private final int embeddingSize;
    private final int stateSize;

    private TorchScriptPolicy(Model model, Device device, ModelManifest manifest) {
        this.model = model;
        this.device = device;
        this.height = manifest.image().height();
        this.width = manifest.image().width();
        this.chunkLength = manifest.chunkLength();
        this.actionSize = manifest.action().names().size();
        this.embeddingSize = manifest.embeddingSize();
        this.stateSize = manifest.takesState() ? manifest.state().size() : -1;
    }

    public static TorchScriptPolicy load(Path bundleDir, ModelManifest manifest, Device device) {
        String modelFile = manifest.modelFile();
        String prefix = modelFile.endsWith(".pt") ? modelFile.substring(0, modelFile.length() - 3) : modelFile;
        Model model = Model.newInstance(prefix, device, "PyTorch");
        try {
            model.load(bundleDir, prefix, Map.of("mapLocation", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new InvalidManifestException(bundleDir.resolve(modelFile) + ": cannot be loaded as TorchScript: "
                    + e.getMessage(), e);
        }
        return new TorchScriptPolicy(model, device, manifest);
    }

    /** Runs one batch without state (see {@link #forward(float[], long[], double[][], int)}). */
    public List<PolicyOutput> forward(float[] images, long[] tokens, int batch) {
        return forward(images, tokens, new double[batch][], batch);
    }

    /**
     * Runs one batch. {@code images} holds {@code batch} tensors of 3*H*W floats back to back,
     * {@code tokens} holds {@code batch} rows of word ids, {@code states} one row per sample (null
     * where the request has none; ignored by models that take no state; lengths checked by the caller).
     */
    public List<PolicyOutput> forward(float[] images, long[] tokens, double[][] states, int batch) {
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            NDArray image = manager.create(FloatBuffer.wrap(images), new Shape(batch, 3, height, width));
            NDArray words = manager.create(LongBuffer.wrap(tokens), new Shape(batch, tokens.length / batch));
            NDList inputs = stateSize < 0 ? new NDList(image, words)
                    : new NDList(image, words, manager.create(FloatBuffer.wrap(stateRows(states, batch)),
                            new Shape(batch, stateSize + 1)));
            NDList outputs = model.getBlock().forward(new ParameterStore(manager, false), inputs, false);
            float[] actions = outputs.get(0).toFloatArray();
            float[] embeddings = outputs.get(1).toFloatArray();
            int perSample = chunkLength * actionSize;
            checkShape(actions.length, batch * perSample, "action");
            checkShape(embeddings.length, batch * embeddingSize, "embedding");
            List<PolicyOutput> result = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                float[][] chunk = new float[chunkLength][actionSize];
                for (int k = 0; k < chunkLength; k++) {
                    System.arraycopy(actions, i * perSample + k * actionSize, chunk[k], 0, actionSize);
                }
                float[] embedding = new float[embeddingSize];
                System.arraycopy(embeddings, i * embeddingSize, embedding, 0, embeddingSize);
                result.add(new PolicyOutput(chunk, embedding));
            }
            return result;
        }
    }

    private float[] stateRows(double[][] states, int batch) {
        int row = stateSize + 1;
        float[] values = new float[batch * row];
        for (int i = 0; i < batch; i++) {
            if (states[i] != null) {
                for (int j = 0; j < stateSize; j++) {
                    values[i * row + j] = (float) states[i][j];
                }
                values[i * row + stateSize] = 1f;
            }
        }
        return values;
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
