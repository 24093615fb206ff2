package com.vlaapi.inference.trainingimages;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The bucket the training images live in; built only when {@code vla.inference.training-images.enabled}. */
@Component
class TrainingImageStorage implements DisposableBean {

    /** S3's limit for one DeleteObjects call. */
    private static final int DELETE_BATCH = 1000;

    private final String bucket;
    private final S3Client s3;

    TrainingImageStorage(TrainingImagesProperties properties) {
        this.bucket = properties.bucket();
        this.s3 = properties.enabled() ? client(properties) : null;
    }

    private static S3Client client(TrainingImagesProperties properties) {
        AwsCredentialsProvider credentials = properties.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(properties.accessKey(), properties.secretKey()));
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(properties.requestTimeout())
                        .socketTimeout(properties.requestTimeout()))
                // Two attempts, both within the request timeout: a kept-alive connection the storage has
                // closed fails its first write ("Error writing request body"), and the second attempt
                // opens a new one. Storage that is down still fails within the timeout, and the image is
                // dropped rather than holding the queue behind it.
                .overrideConfiguration(c -> c.apiCallTimeout(properties.requestTimeout())
                        .retryStrategy(r -> r.maxAttempts(2)))
                .region(Region.of(properties.region()))
                .forcePathStyle(properties.pathStyle())
                .credentialsProvider(credentials);
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        }
        return builder.build();
    }

    void put(String key, byte[] image, String contentType) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(image));
    }

    Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Every object whose key starts with the prefix (a customer's folder); returns how many were deleted. */
    int deleteAll(String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .forEach(keys::add);
        delete(keys);
        return keys.size();
    }

    void delete(List<String> keys) {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build())
                    .toList();
            var result = s3.deleteObjects(r -> r.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
            if (result.hasErrors() && !result.errors().isEmpty()) {
                throw new IllegalStateException("storage refused to delete " + result.errors().size() + " objects, first "
                        + result.errors().get(0).key() + ": " + result.errors().get(0).code());
            }
        }
    }

    @Override
    public void destroy() {
        if (s3 != null) {
            s3.close();
        }
    }
}
