package com.vlaapi.inference.trainingimages;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code vla.inference.training-images.*}: where the request images of customers who consented are
 * kept for training (S3 or an S3-compatible server such as MinIO), and how much the service may
 * spend on it. Storing them is best effort and never on the response's path.
 *
 * @param enabled                false stores nothing (no S3 client is built)
 * @param endpoint               the S3 server; absent: AWS's own endpoint for the region
 * @param region                 the bucket's region (signed into every request; any value for MinIO)
 * @param bucket                 the bucket, created beforehand (compose's minio-buckets does it)
 * @param accessKey              the key pair's id; absent: the SDK's default credentials (environment,
 *                               instance profile)
 * @param secretKey              the key pair's secret
 * @param pathStyle              bucket in the path rather than the host name, as MinIO and s3proxy need
 * @param queueMaxSize           most image bytes waiting for upload; an image beyond it is dropped
 * @param requestTimeout         longest one call to the storage may take; an upload that fails is dropped
 * @param consentRefreshInterval how often the set of consenting customers is re-read from customers_v1
 * @param retention              how long a stored image is kept before the sweep deletes it
 * @param sweepInterval          how often the retention sweep runs (also once at start)
 */
@ConfigurationProperties("vla.inference.training-images")
public record TrainingImagesProperties(
        @DefaultValue("false") boolean enabled,
        URI endpoint,
        @DefaultValue("us-east-1") String region,
        @DefaultValue("vla-training-images") String bucket,
        String accessKey,
        String secretKey,
        @DefaultValue("true") boolean pathStyle,
        @DefaultValue("64MB") DataSize queueMaxSize,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("30s") Duration consentRefreshInterval,
        @DefaultValue("90d") Duration retention,
        @DefaultValue("1d") Duration sweepInterval) {

    public TrainingImagesProperties {
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("vla.inference.training-images.access-key and secret-key go together:"
                    + " set both, or neither for the SDK's default credentials");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("vla.inference.training-images.retention must be positive, not "
                    + retention);
        }
    }

    /** Keeps the secret out of logs and failure analyses that print bound properties. */
    @Override
    public String toString() {
        return "TrainingImagesProperties[enabled=" + enabled + ", endpoint=" + endpoint + ", region=" + region
                + ", bucket=" + bucket + ", accessKey=" + accessKey + ", secretKey=<redacted>, pathStyle=" + pathStyle
                + ", queueMaxSize=" + queueMaxSize + ", requestTimeout=" + requestTimeout
                + ", consentRefreshInterval=" + consentRefreshInterval + ", retention=" + retention
                + ", sweepInterval=" + sweepInterval + "]";
    }
}
