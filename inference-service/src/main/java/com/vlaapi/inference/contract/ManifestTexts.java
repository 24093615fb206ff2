package com.vlaapi.inference.contract;

import com.vlaapi.modelrunner.bundle.ManifestReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The descriptions a bundle's manifest.json gives for people (the model's, each unnorm key's),
 * which model-runner does not read: it validates and runs, these only explain. Read once at
 * start from the bundles model-runner loaded; a description the manifest lacks is null.
 */
record ManifestTexts(String description, Map<String, String> unnormKeys) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** By model name, for every bundle in {@code modelsDir}. */
    static Map<String, ManifestTexts> read(Path modelsDir) {
        Map<String, ManifestTexts> byModel = new HashMap<>();
        List<Path> manifests;
        try (Stream<Path> bundles = Files.list(modelsDir)) {
            manifests = bundles.map(bundle -> bundle.resolve(ManifestReader.MANIFEST_FILE)).filter(Files::isRegularFile)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path manifest : manifests) {
            JsonNode root = JSON.readTree(manifest.toFile());
            Map<String, String> unnormKeys = new HashMap<>();
            root.path("action").path("unnorm").properties().forEach(key ->
                    unnormKeys.put(key.getKey(), text(key.getValue().path("description"))));
            byModel.put(root.path("name").asString(), new ManifestTexts(text(root.path("description")), unnormKeys));
        }
        return byModel;
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }

    String unnormKey(String key) {
        return unnormKeys.get(key);
    }
}
