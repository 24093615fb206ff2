package com.vlaapi.inference.contract;

import com.vlaapi.inference.model.ModelsDirectory;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.ErrorType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every served model's contract, built from its manifest once at start (bundles load only then)
 * and kept serialised: the answer is the same for every customer and every call, so it is sent as
 * stored bytes, with an ETag that changes whenever a byte of it does.
 */
@Component
public class ModelContracts {

    static final String RESIZE = "triangle_antialias";
    static final String RESIZE_RULE = "The whole frame (no crop; the aspect ratio is not kept) is resized to width x height "
            + "by a separable triangle filter whose support widens with the downscale factor, sampled at pixel centres, "
            + "on 8-bit RGB values: PIL's Image.resize(size, Image.BILINEAR), which is antialiased. Nearest-neighbour, "
            + "bicubic, area or non-antialiased bilinear resizing (OpenCV's INTER_LINEAR) give the model other pixels.";
    /** model-runner's decoder reads these, and nothing else (ImageDecoder). */
    static final List<String> ENCODINGS = List.of("png", "jpeg");
    static final String PRIMARY_CAMERA = "primary";

    /** A document as it is sent, and its validator. */
    public record Published(byte[] json, String etag) {
    }

    /** The list as {@code GET /v1/models} answers it. */
    public record ModelList(String defaultModel, List<ModelContract> models) {
    }

    private final Map<String, ModelContract> contracts = new LinkedHashMap<>();
    private final Map<String, Published> documents = new LinkedHashMap<>();
    private final Published list;

    public ModelContracts(ModelRunner runner, RunnerConfig config, ModelsDirectory bundles, JsonMapper json) {
        Map<String, ManifestTexts> texts = ManifestTexts.read(bundles.path());
        runner.manifests().forEach((id, manifest) -> {
            ModelContract contract = contract(manifest, texts.getOrDefault(id, new ManifestTexts(null, Map.of())),
                    config.maxInstructionChars());
            contracts.put(id, contract);
            documents.put(id, publish(json.writeValueAsBytes(contract), manifest.version()));
        });
        list = publish(json.writeValueAsBytes(
                new ModelList(runner.defaultModel(), List.copyOf(contracts.values()))), null);
    }

    /** The contract of model {@code id}; 404 {@code unknown_model} naming the served models. */
    public ModelContract contract(String id) {
        ModelContract found = contracts.get(id);
        if (found == null) {
            throw new ApiException(new ApiError(HttpStatus.NOT_FOUND, ErrorType.NOT_FOUND_ERROR, "unknown_model",
                    "No model '" + id + "'; the models served are " + String.join(", ", contracts.keySet()) + ".")
                    .withDetails(Map.of("models", List.copyOf(contracts.keySet()))));
        }
        return found;
    }

    /** {@link #contract}'s document as it is sent. */
    public Published published(String id) {
        contract(id);
        return documents.get(id);
    }

    public Published list() {
        return list;
    }

    static ModelContract contract(ModelManifest manifest, ManifestTexts texts, int maxInstructionChars) {
        ModelManifest.ImageSpec image = manifest.image();
        ModelContract.Camera primary = new ModelContract.Camera(image.width(), image.height(), "RGB", RESIZE, RESIZE_RULE,
                image.scale(), image.mean(), image.std(), ENCODINGS, true);
        ModelManifest.ActionSpec action = manifest.action();
        Map<String, ModelContract.UnnormKey> unnormKeys = new LinkedHashMap<>();
        action.unnorm().forEach((key, stats) -> unnormKeys.put(key, new ModelContract.UnnormKey(texts.unnormKey(key),
                stats.units(), stats.q01(), stats.q99(), stats.mask())));
        String self = "/v1/models/" + manifest.name();
        return new ModelContract(manifest.name(), manifest.version(), texts.description(),
                Map.of(PRIMARY_CAMERA, primary), state(manifest),
                new ModelContract.Action(action.names(), manifest.chunkLength(), manifest.controlRateHz(),
                        action.defaultUnnormKey()),
                unnormKeys, new ModelContract.Tokenizer("word", manifest.tokenizer().maxLength(), maxInstructionChars),
                new ModelContract.Links(self, self + "/parity"));
    }

    /** A strong validator: the version for people reading it, a digest of the bytes for caches. */
    private static Published publish(byte[] json, String version) {
        String digest = HexFormat.of().formatHex(sha256(json), 0, 8);
        return new Published(json, "\"" + (version == null ? "" : version + "-") + digest + "\"");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static ModelContract.State state(ModelManifest manifest) {
        ModelManifest.StateSpec state = manifest.state();
        return state == null ? null : new ModelContract.State(state.names(), state.units(), state.description(), state.required());
    }
}
