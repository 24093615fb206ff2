package com.vlaapi.modelrunner;

import ai.djl.Device;
import com.vlaapi.modelrunner.bundle.InvalidManifestException;
import com.vlaapi.modelrunner.bundle.ManifestReader;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.modelrunner.image.DecodeSlots;
import com.vlaapi.modelrunner.image.TriangleResizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every model bundle found in a directory. Thread-safe: call {@link #predict} from as many
 * threads as you like; concurrent requests for one model are batched.
 */
public final class ModelRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRunner.class);

    private final Map<String, LoadedModel> models;
    private final String defaultModel;

    private ModelRunner(Map<String, LoadedModel> models, String defaultModel) {
        this.models = models;
        this.defaultModel = defaultModel;
    }

    /** Loads each subdirectory of {@code config.modelsDir()} that holds a manifest.json. */
    public static ModelRunner start(RunnerConfig config) {
        configureTorch(config);
        List<Path> bundles = findBundles(config.modelsDir());
        Device device = "gpu".equalsIgnoreCase(config.device()) ? Device.gpu() : Device.cpu();
        TriangleResizer resizer = new TriangleResizer();
        DecodeSlots decodeSlots = new DecodeSlots(config.decoding());
        Map<String, LoadedModel> models = new LinkedHashMap<>();
        try {
            for (Path bundle : bundles) {
                long start = System.nanoTime();
                LoadedModel model = LoadedModel.load(bundle, config, device, resizer, decodeSlots);
                if (models.putIfAbsent(model.manifest().name(), model) != null) {
                    model.close();
                    throw new InvalidManifestException(bundle + ": a second bundle is named '"
                            + model.manifest().name() + "'");
                }
                log.info("loaded model {} {} from {} on {} in {} ms", model.manifest().name(),
                        model.manifest().version(), bundle, device, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (RuntimeException e) {
            models.values().forEach(LoadedModel::close);
            throw e;
        }
        String defaultModel = config.defaultModel() != null ? config.defaultModel() : models.keySet().iterator().next();
        if (!models.containsKey(defaultModel)) {
            models.values().forEach(LoadedModel::close);
            throw new UnknownModelException(defaultModel, models.keySet());
        }
        return new ModelRunner(models, defaultModel);
    }

    private static List<Path> findBundles(Path modelsDir) {
        if (!Files.isDirectory(modelsDir)) {
            throw new InvalidManifestException(modelsDir.toAbsolutePath() + ": models directory not found;"
                    + " set vla.model.models-dir (VLA_MODEL_MODELS_DIR) to the directory that holds the model bundles");
        }
        List<Path> bundles;
        try (Stream<Path> children = Files.list(modelsDir)) {
            bundles = children.filter(p -> Files.isRegularFile(p.resolve(ManifestReader.MANIFEST_FILE))).sorted().toList();
        } catch (IOException e) {
            throw new InvalidManifestException(modelsDir + ": cannot list bundles: " + e.getMessage(), e);
        }
        if (bundles.isEmpty()) {
            throw new InvalidManifestException(modelsDir.toAbsolutePath() + ": no bundle (a directory with "
                    + ManifestReader.MANIFEST_FILE + ") found");
        }
        return bundles;
    }

    /** DJL reads these once, when the PyTorch engine starts; later changes have no effect. */
    private static void configureTorch(RunnerConfig config) {
        System.setProperty("ai.djl.offline", "true");
        if (config.intraOpThreads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(config.intraOpThreads()));
        }
        if (config.interOpThreads() > 0) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", String.valueOf(config.interOpThreads()));
        }
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    }

    /** Blocks until the action is ready. Throws a {@link ModelRunnerException} subtype for bad input. */
    public Prediction predict(InferenceRequest request) {
        try {
            return submit(request).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Validation errors are thrown at once; the future completes when the batch has run. */
    public CompletableFuture<Prediction> submit(InferenceRequest request) {
        String name = request.model() == null ? defaultModel : request.model();
        LoadedModel model = models.get(name);
        if (model == null) {
            throw new UnknownModelException(name, models.keySet());
        }
        return model.submit(request);
    }

    public String defaultModel() {
        return defaultModel;
    }

    public Map<String, ModelManifest> manifests() {
        Map<String, ModelManifest> result = new LinkedHashMap<>();
        models.forEach((name, model) -> result.put(name, model.manifest()));
        return result;
    }

    /** Requests waiting for a forward pass, per model. */
    public Map<String, Integer> queueDepths() {
        Map<String, Integer> result = new LinkedHashMap<>();
        models.forEach((name, model) -> result.put(name, model.queued()));
        return result;
    }

    /** Finishes queued requests, then frees the models. */
    @Override
    public void close() {
        models.values().forEach(LoadedModel::close);
    }
}
