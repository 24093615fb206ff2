package com.vlaapi.gateway.apidocs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.webjars.WebJarVersionLocator;

/**
 * The public API's OpenAPI document (docs/openapi.json, packaged into the jar) at
 * {@code /v1/openapi.json}, and Swagger UI reading it at {@code /v1/docs}, with the two files of
 * the swagger-ui webjar the page loads: nothing comes from elsewhere. These routes are answered
 * before the gateway's route to inference-service, so none of its filters run: no API key, no
 * limits, no Redis; the access log still has a line for each (it is a web filter).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsRoutes {

    static final String DOCUMENT = "apidocs/openapi.json";

    @Bean
    RouterFunction<ServerResponse> apiDocs() {
        WebJarVersionLocator webJars = new WebJarVersionLocator();
        ServedFile document = ServedFile.of(DOCUMENT, MediaType.APPLICATION_JSON);
        ServedFile page = ServedFile.of("apidocs/docs.html", MediaType.parseMediaType("text/html;charset=UTF-8"));
        ServedFile css = ServedFile.of(webJar(webJars, "swagger-ui.css"), MediaType.parseMediaType("text/css"));
        ServedFile script = ServedFile.of(webJar(webJars, "swagger-ui-bundle.js"),
                MediaType.parseMediaType("text/javascript"));
        return RouterFunctions.route()
                .GET("/v1/openapi.json", document::serve)
                .GET("/v1/docs", page::serve)
                .GET("/v1/docs/swagger-ui.css", css::serve)
                .GET("/v1/docs/swagger-ui-bundle.js", script::serve)
                .build();
    }

    private static String webJar(WebJarVersionLocator webJars, String file) {
        String path = webJars.fullPath("swagger-ui", file);
        if (path == null) {
            throw new IllegalStateException("the swagger-ui webjar has no " + file);
        }
        return path;
    }
}
