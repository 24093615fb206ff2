package com.vlaapi.bench.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Kubernetes manifests into fabric8's model of the API, as strictly as the API server's
 * own strict field validation: a field the type does not have, a duplicated key or a value of
 * the wrong type fails the read.
 */
final class StrictManifests {

    /**
     * The kinds deploy/k8s may use, by {@code apiVersion/kind}: an unknown pair (a kind at an
     * apiVersion the model would read differently, such as autoscaling/v1's HPA) fails too.
     */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class));

    /**
     * fabric8's types keep unknown fields in an any-setter map, which would swallow a misspelt
     * field silently; with the any-setters switched off Jackson has nowhere to put one and fails.
     */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // replicas: "2" is an error to the API server, so it is one here.
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private StrictManifests() {
    }

    /** Every document of a YAML file, as plain maps and lists; a duplicated key fails. */
    static List<Map<String, Object>> documents(Path file) {
        try {
            return documents(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(options).loadAll(yaml)) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map)) {
                throw new IllegalArgumentException(source + ": a document that is not a mapping: " + document);
            }
            documents.add((Map<String, Object>) document);
        }
        return documents;
    }

    /** Every object of a manifest file, each as its kind's type. */
    static List<HasMetadata> read(Path file) {
        return read(documents(file), file.toString());
    }

    static List<HasMetadata> read(String yaml, String source) {
        return read(documents(yaml, source), source);
    }

    private static List<HasMetadata> read(List<Map<String, Object>> documents, String source) {
        return documents.stream().map(d -> object(MAPPER.valueToTree(d), source)).toList();
    }

    /** One object, as the type its apiVersion and kind name. */
    static HasMetadata object(JsonNode tree, String source) {
        String kind = tree.path("apiVersion").asString() + "/" + tree.path("kind").asString();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalArgumentException(source + ": " + kind + " is not a kind deploy/k8s may use: " + KINDS.keySet());
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": " + kind + " " + tree.path("metadata").path("name").asString()
                    + ": " + e.getMessage(), e);
        }
    }

    /** A file that is not a Kubernetes object (kustomization.yaml), read into a record as strictly. */
    static <T> T read(Path file, Class<T> type) {
        List<Map<String, Object>> documents = documents(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + ": one document expected, found " + documents.size());
        }
        try {
            return MAPPER.convertValue(documents.get(0), type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
