package com.vlaapi.inference.ood;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.inference.ood.*}: the out-of-distribution signal. A model version with up to
 * {@code exactBelow} references is searched exhaustively (a few thousand cost tens of
 * microseconds); a larger set gets an inverted-file index of about sqrt(count) lists of which a
 * request scans the {@code probes} nearest (docs/benchmarks.md: 100,000 references).
 *
 * @param enabled    off: no references are stored or loaded and {@link SceneNovelty} assesses nothing
 * @param exactBelow the largest reference set searched exhaustively
 * @param probes     lists a request scans in a partitioned index
 */
@ConfigurationProperties("vla.inference.ood")
public record OodProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20000") int exactBelow,
        @DefaultValue("8") int probes) {

    public OodProperties {
        if (exactBelow < 1 || probes < 1) {
            throw new IllegalArgumentException("vla.inference.ood.exact-below and .probes must be at least 1");
        }
    }
}
