package com.vlaapi.modelrunner.bundle;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.vlaapi.modelrunner.bundle.ModelManifest.ActionSpec;
import com.vlaapi.modelrunner.bundle.ModelManifest.ImageSpec;
import com.vlaapi.modelrunner.bundle.ModelManifest.OodSpec;
import com.vlaapi.modelrunner.bundle.ModelManifest.StateSpec;
import com.vlaapi.modelrunner.bundle.ModelManifest.TokenizerSpec;
import com.vlaapi.modelrunner.bundle.ModelManifest.UnnormStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates {@code manifest.json}. Every problem is reported with the JSON path of the
 * offending field, so an operator can fix a bundle without reading code.
 */
public final class ManifestReader {

    public static final String MANIFEST_FILE = "manifest.json";
    private static final int SUPPORTED_FORMAT = 1;
    private static final String SUPPORTED_RESIZE = "triangle_antialias";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private ManifestReader(Path file) {
        this.file = file;
    }

    public static ModelManifest read(Path bundleDir) {
        return new ManifestReader(bundleDir.resolve(MANIFEST_FILE)).read();
    }

    private ModelManifest read() {
        JsonNode root = parse();
        int format = integer(root, "format_version", 1, Integer.MAX_VALUE);
        if (format != SUPPORTED_FORMAT) {
            throw fail("format_version", "is " + format + " but this runner reads format " + SUPPORTED_FORMAT);
        }
        String name = text(root, "name");
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw fail("name", "must be 1-64 lowercase letters, digits, '.', '_' or '-'");
        }
        int embeddingSize = integer(root, "embedding.size", 1, 65536);
        // Bundles exported before action chunks predict one action and take no state.
        int chunkLength = has(root, "action.chunk_length") ? integer(root, "action.chunk_length", 1, 1024) : 1;
        ModelManifest manifest = new ModelManifest(
                name,
                text(root, "version"),
                text(root, "model_file"),
                image(root),
                tokenizer(root),
                action(root),
                embeddingSize,
                number(root, "control_rate_hz", 0.1, 1000),
                root.has("ood") ? ood(root, embeddingSize) : null,
                chunkLength,
                has(root, "input.state") ? state(root) : null);
        requireFile(manifest.modelFile(), "model_file");
        requireFile(manifest.tokenizer().vocabFile(), "tokenizer.vocab_file");
        return manifest;
    }

    /** Optional: bundles exported before the out-of-distribution signal have no {@code ood} section. */
    private OodSpec ood(JsonNode root, int embeddingSize) {
        String metric = text(root, "ood.metric");
        if (!metric.equals("cosine")) {
            throw fail("ood.metric", "is '" + metric + "'; supported: cosine");
        }
        String relative = text(root, "ood.reference_file");
        Path referenceFile = requireFile(relative, "ood.reference_file");
        int count = integer(root, "ood.count", 1, 10_000_000);
        int neighbours = integer(root, "ood.neighbours", 1, count);
        long expected = (long) count * embeddingSize * Float.BYTES;
        long actual;
        try {
            actual = Files.size(referenceFile);
        } catch (IOException e) {
            throw fail("ood.reference_file", "cannot be read: " + e.getMessage());
        }
        if (actual != expected) {
            throw fail("ood.reference_file", "'" + relative + "' has " + actual + " bytes; " + count + " embeddings of "
                    + embeddingSize + " float32 take " + expected);
        }
        return new OodSpec(referenceFile.toAbsolutePath(), count, neighbours, number(root, "ood.threshold", 0, 2));
    }

    private JsonNode parse() {
        if (!Files.isRegularFile(file)) {
            throw new InvalidManifestException(file + ": file not found; every bundle needs a " + MANIFEST_FILE);
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new InvalidManifestException(file + ": must contain a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidManifestException(file + ": not valid JSON: " + e.getOriginalMessage() + where, e);
        }
    }

    private ImageSpec image(JsonNode root) {
        String resize = text(root, "input.image.resize");
        if (!resize.equals(SUPPORTED_RESIZE)) {
            throw fail("input.image.resize", "is '" + resize + "'; supported: " + SUPPORTED_RESIZE);
        }
        String order = text(root, "input.image.channel_order");
        if (!order.equals("RGB")) {
            throw fail("input.image.channel_order", "is '" + order + "'; supported: RGB");
        }
        double[] std = numbers(root, "input.image.std", 3);
        for (double s : std) {
            if (!(s > 0)) {
                throw fail("input.image.std", "values must be positive");
            }
        }
        return new ImageSpec(
                integer(root, "input.image.width", 1, 4096),
                integer(root, "input.image.height", 1, 4096),
                number(root, "input.image.scale", 1e-9, 1e9),
                numbers(root, "input.image.mean", 3),
                std);
    }

    private StateSpec state(JsonNode root) {
        List<String> names = strings(root, "input.state.names", -1);
        List<String> units = strings(root, "input.state.units", names.size());
        JsonNode description = node(root, "input.state").get("description");
        JsonNode required = node(root, "input.state").get("required");
        if (required != null && !required.isBoolean()) {
            throw fail("input.state.required", "must be true or false");
        }
        return new StateSpec(names, units, description == null ? "" : description.asString(),
                required != null && required.asBoolean());
    }

    private TokenizerSpec tokenizer(JsonNode root) {
        String type = text(root, "tokenizer.type");
        if (!type.equals("word")) {
            throw fail("tokenizer.type", "is '" + type + "'; supported: word");
        }
        return new TokenizerSpec(text(root, "tokenizer.vocab_file"), integer(root, "tokenizer.max_length", 1, 4096));
    }

    private ActionSpec action(JsonNode root) {
        List<String> names = new ArrayList<>();
        JsonNode namesNode = node(root, "action.names");
        if (!namesNode.isArray() || namesNode.isEmpty()) {
            throw fail("action.names", "must be a non-empty array of strings");
        }
        namesNode.forEach(n -> names.add(n.asString()));
        int dims = names.size();
        JsonNode unnormNode = node(root, "action.unnorm");
        if (!unnormNode.isObject() || unnormNode.isEmpty()) {
            throw fail("action.unnorm", "must be an object with at least one unnorm_key");
        }
        Map<String, UnnormStats> unnorm = new LinkedHashMap<>();
        for (String key : unnormNode.propertyNames()) {
            String path = "action.unnorm." + key;
            double[] q01 = numbers(root, path + ".q01", dims);
            double[] q99 = numbers(root, path + ".q99", dims);
            JsonNode maskNode = node(root, path + ".mask");
            if (!maskNode.isArray() || maskNode.size() != dims) {
                throw fail(path + ".mask", "must be an array of " + dims + " booleans (one per action name)");
            }
            boolean[] mask = new boolean[dims];
            for (int i = 0; i < dims; i++) {
                if (!maskNode.get(i).isBoolean()) {
                    throw fail(path + ".mask", "element " + i + " is not a boolean");
                }
                mask[i] = maskNode.get(i).asBoolean();
            }
            List<String> units = has(root, path + ".units") ? strings(root, path + ".units", dims) : null;
            unnorm.put(key, new UnnormStats(q01, q99, mask, units));
        }
        String defaultKey = text(root, "action.default_unnorm_key");
        if (!unnorm.containsKey(defaultKey)) {
            throw fail("action.default_unnorm_key", "'" + defaultKey + "' is not one of " + unnorm.keySet());
        }
        return new ActionSpec(List.copyOf(names), defaultKey, unnorm);
    }

    private Path requireFile(String relative, String field) {
        Path bundleDir = file.getParent();
        Path resolved = bundleDir.resolve(relative).normalize();
        if (!resolved.startsWith(bundleDir.normalize())) {
            throw fail(field, "'" + relative + "' points outside the bundle directory");
        }
        if (!Files.isRegularFile(resolved)) {
            throw fail(field, "'" + relative + "' does not exist in " + bundleDir);
        }
        return resolved;
    }

    private JsonNode node(JsonNode root, String path) {
        JsonNode current = root;
        for (String part : path.split("\\.")) {
            current = current.get(part);
            if (current == null || current.isNull()) {
                throw fail(path, "is missing");
            }
        }
        return current;
    }

    private static boolean has(JsonNode root, String path) {
        JsonNode current = root;
        for (String part : path.split("\\.")) {
            current = current.get(part);
            if (current == null || current.isNull()) {
                return false;
            }
        }
        return true;
    }

    /** A non-empty array of non-empty strings; of exactly {@code length} when it is not negative. */
    private List<String> strings(JsonNode root, String path, int length) {
        JsonNode n = node(root, path);
        String expected = length < 0 ? "a non-empty array of strings" : "an array of " + length + " strings";
        if (!n.isArray() || n.isEmpty() || (length >= 0 && n.size() != length)) {
            throw fail(path, "must be " + expected);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isString() || n.get(i).asString().isBlank()) {
                throw fail(path, "element " + i + " is not a non-empty string");
            }
            values.add(n.get(i).asString());
        }
        return List.copyOf(values);
    }

    private String text(JsonNode root, String path) {
        JsonNode n = node(root, path);
        if (!n.isString() || n.asString().isBlank()) {
            throw fail(path, "must be a non-empty string");
        }
        return n.asString();
    }

    private int integer(JsonNode root, String path, int min, int max) {
        JsonNode n = node(root, path);
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw fail(path, "must be an integer between " + min + " and " + max);
        }
        return n.asInt();
    }

    private double number(JsonNode root, String path, double min, double max) {
        JsonNode n = node(root, path);
        if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
            throw fail(path, "must be a number between " + min + " and " + max);
        }
        return n.asDouble();
    }

    private double[] numbers(JsonNode root, String path, int length) {
        JsonNode n = node(root, path);
        if (!n.isArray() || n.size() != length) {
            throw fail(path, "must be an array of " + length + " numbers");
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            if (!n.get(i).isNumber() || !Double.isFinite(n.get(i).asDouble())) {
                throw fail(path, "element " + i + " is not a finite number");
            }
            values[i] = n.get(i).asDouble();
        }
        return values;
    }

    private InvalidManifestException fail(String field, String problem) {
        return new InvalidManifestException(file + ": field '" + field + "' " + problem);
    }
}
