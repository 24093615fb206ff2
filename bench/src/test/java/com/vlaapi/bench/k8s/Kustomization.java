package com.vlaapi.bench.k8s;

import java.util.List;
import java.util.Objects;

/**
 * The fields of a {@code kustomization.yaml} deploy/k8s uses; {@link StrictManifests} reads it,
 * so any other field (a misspelt one, or one kustomize has that nobody here meant) fails.
 */
record Kustomization(String apiVersion, String kind, String namespace, List<String> resources,
                     List<Generator> secretGenerator, List<Image> images, List<Patch> patches) {

    /** A Secret kustomize makes from env files (KEY=value lines). */
    record Generator(String name, List<String> envs) {
    }

    /** Replaces an image's name and tag wherever a container names {@code name}. */
    record Image(String name, String newName, String newTag) {
    }

    /** A JSON patch (RFC 6902) in {@code path}, applied to the one object {@code target} names. */
    record Patch(String path, Target target) {

        record Target(String group, String version, String kind, String name) {
        }
    }

    /** A field the file leaves out is an empty list. */
    Kustomization {
        resources = Objects.requireNonNullElse(resources, List.of());
        secretGenerator = Objects.requireNonNullElse(secretGenerator, List.of());
        images = Objects.requireNonNullElse(images, List.of());
        patches = Objects.requireNonNullElse(patches, List.of());
    }
}
