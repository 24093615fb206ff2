package com.vlaapi.modelrunner;

import ai.djl.Device;
import com.vlaapi.modelrunner.action.ActionDenormalizer;
import com.vlaapi.modelrunner.batching.BatchResult;
import com.vlaapi.modelrunner.batching.DynamicBatcher;
import com.vlaapi.modelrunner.bundle.ManifestReader;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.modelrunner.engine.PolicyOutput;
import com.vlaapi.modelrunner.engine.TorchScriptPolicy;
import com.vlaapi.modelrunner.image.DecodeSlots;
import com.vlaapi.modelrunner.image.ImageDecoder;
import com.vlaapi.modelrunner.image.ImagePreprocessor;
import com.vlaapi.modelrunner.image.ImagePreprocessor.ImageTensor;
import com.vlaapi.modelrunner.image.TriangleResizer;
import com.vlaapi.modelrunner.text.WordTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One bundle made servable: preprocessing, its batcher, the TorchScript model, de-normalisation. */
final class LoadedModel implements AutoCloseable {

    /** What travels through the batcher: a preprocessed observation; {@code state} null when absent. */
    record ModelInput(float[] image, long[] tokens, double[] state) {
    }

    private final ModelManifest manifest;
    private final ImagePreprocessor images;
    private final WordTokenizer tokenizer;
    private final ActionDenormalizer denormalizer;
    private final TorchScriptPolicy policy;
    private final DynamicBatcher<ModelInput, PolicyOutput> batcher;

    private LoadedModel(ModelManifest manifest, ImagePreprocessor images, WordTokenizer tokenizer,
                        TorchScriptPolicy policy, RunnerConfig config) {
        this.manifest = manifest;
        this.images = images;
        this.tokenizer = tokenizer;
        this.denormalizer = new ActionDenormalizer(manifest.name(), manifest.action());
        this.policy = policy;
        this.batcher = new DynamicBatcher<>(manifest.name(), config.batching(), this::forward);
    }

    static LoadedModel load(Path bundleDir, RunnerConfig config, Device device, TriangleResizer resizer,
                            DecodeSlots decodeSlots) {
        ModelManifest manifest = ManifestReader.read(bundleDir);
        WordTokenizer tokenizer = WordTokenizer.fromVocabFile(bundleDir.resolve(manifest.tokenizer().vocabFile()),
                manifest.tokenizer().maxLength(), config.maxInstructionChars());
        ImagePreprocessor images = new ImagePreprocessor(
                new ImageDecoder(config.maxImageBytes(), config.maxImagePixels(), config.maxImageSide()), resizer,
                decodeSlots, manifest.image());
        TorchScriptPolicy policy = TorchScriptPolicy.load(bundleDir, manifest, device);
        return new LoadedModel(manifest, images, tokenizer, policy, config);
    }

    ModelManifest manifest() {
        return manifest;
    }

    /** Validates and preprocesses on the caller's thread, then queues for a batched forward pass. */
    CompletableFuture<Prediction> submit(InferenceRequest request) {
        long start = System.nanoTime();
        String unnormKey = denormalizer.resolveKey(request.unnormKey());
        double[] state = checkedState(request.state());
        long[] tokens = tokenizer.encode(request.instruction());
        ImageTensor image = images.toInputTensor(request.image());
        double preprocessMs = (System.nanoTime() - start) / 1e6;
        return batcher.submit(new ModelInput(image.values(), tokens, state))
                .thenApply(result -> toPrediction(result, unnormKey, image, preprocessMs));
    }

    /**
     * A state must match the manifest's {@code input.state}; a model without one refuses any
     * non-empty state rather than drop it silently, so a client never believes a model used it.
     */
    private double[] checkedState(double[] state) {
        if (state == null || (state.length == 0 && !manifest.takesState())) {
            return null;
        }
        List<String> names = manifest.takesState() ? manifest.state().names() : List.of();
        if (state.length != names.size()) {
            throw InvalidStateException.wrongLength(manifest.name(), state.length, names);
        }
        for (int i = 0; i < state.length; i++) {
            if (!Double.isFinite(state[i]) || Math.abs(state[i]) > Float.MAX_VALUE) {
                throw new InvalidStateException("state[" + i + "] (" + manifest.state().names().get(i)
                        + ") is not a finite number.");
            }
        }
        return state.clone();
    }

    private Prediction toPrediction(BatchResult<PolicyOutput> result, String unnormKey, ImageTensor image,
                                    double preprocessMs) {
        PolicyOutput output = result.value();
        return new Prediction(manifest.name(), manifest.version(), unnormKey,
                denormalizer.denormalize(output.normalizedActions(), unnormKey), manifest.action().names(),
                output.embedding(), image.sourceWidth(), image.sourceHeight(),
                new Prediction.Timings(preprocessMs, result.queueWaitNanos() / 1e6, result.batchNanos() / 1e6,
                        result.batchSize()));
    }

    private List<PolicyOutput> forward(List<ModelInput> batch) {
        int imageSize = batch.get(0).image().length;
        int tokenSize = batch.get(0).tokens().length;
        float[] images = new float[batch.size() * imageSize];
        long[] tokens = new long[batch.size() * tokenSize];
        double[][] states = new double[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).image(), 0, images, i * imageSize, imageSize);
            System.arraycopy(batch.get(i).tokens(), 0, tokens, i * tokenSize, tokenSize);
            states[i] = batch.get(i).state();
        }
        return policy.forward(images, tokens, states, batch.size());
    }

    int queued() {
        return batcher.queued();
    }

    @Override
    public void close() {
        batcher.close();
        policy.close();
    }
}
