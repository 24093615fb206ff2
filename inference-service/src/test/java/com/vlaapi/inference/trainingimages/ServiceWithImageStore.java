package com.vlaapi.inference.trainingimages;

import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * inference-service storing training images in an S3 server of its own (bucket {@link #BUCKET}),
 * on a test database with customer-service's migrations (consent is read through its view);
 * closing stops the service and the S3 server and drops the database.
 */
public final class ServiceWithImageStore implements AutoCloseable {

    public static final String BUCKET = "vla-training-images";
    public static final String ADMIN_TOKEN = "test-admin-token";

    private final TestDatabase database;
    private final S3Proxy s3;
    private final ConfigurableApplicationContext application;

    private ServiceWithImageStore(TestDatabase database, S3Proxy s3, ConfigurableApplicationContext application) {
        this.database = database;
        this.s3 = s3;
        this.application = application;
    }

    /** {@code settings} are extra {@code --name=value} arguments. */
    public static ServiceWithImageStore start(String... settings) throws Exception {
        TestDatabase database = TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
        S3Proxy s3 = null;
        try {
            s3 = new S3Proxy();
            s3.client().createBucket(r -> r.bucket(BUCKET));
            List<String> arguments = new ArrayList<>(List.of(
                    "--vla.admin-token=" + ADMIN_TOKEN,
                    "--vla.inference.training-images.enabled=true",
                    "--vla.inference.training-images.endpoint=" + s3.endpoint(),
                    "--vla.inference.training-images.access-key=" + S3Proxy.ACCESS_KEY,
                    "--vla.inference.training-images.secret-key=" + S3Proxy.SECRET_KEY,
                    "--vla.inference.training-images.consent-refresh-interval=200ms"));
            arguments.addAll(List.of(settings));
            return new ServiceWithImageStore(database, s3, StandaloneApplication.start(database, arguments.toArray(String[]::new)));
        } catch (Exception | Error e) {
            if (s3 != null) {
                s3.close();
            }
            database.drop();
            throw e;
        }
    }

    public TestDatabase database() {
        return database;
    }

    public S3Proxy s3() {
        return s3;
    }

    public ConfigurableApplicationContext application() {
        return application;
    }

    public int port() {
        return ((WebServerApplicationContext) application).getWebServer().getPort();
    }

    /** The service's API, without headers. */
    public ApiClient api() {
        return ApiClient.onPort(port());
    }

    @Override
    public void close() throws Exception {
        try {
            application.close();
            s3.close();
        } finally {
            database.drop();
        }
    }
}
