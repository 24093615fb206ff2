package com.vlaapi.modelrunner;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed bundle and held-out set live, wherever Maven runs the tests from. */
public final class TestPaths {

    private TestPaths() {
    }

    public static Path repoRoot() {
        String configured = System.getProperty("vla.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("model-runner/bundles"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }

    public static Path bundles() {
        return repoRoot().resolve("model-runner/bundles");
    }

    public static Path referenceBundle() {
        return bundles().resolve("tabletop-v1");
    }

    public static Path evalSet() {
        return repoRoot().resolve("model-runner/evalsets/tabletop-v1");
    }
}
