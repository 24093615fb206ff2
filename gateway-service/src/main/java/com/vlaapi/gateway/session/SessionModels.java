package com.vlaapi.gateway.session;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.errors.Causes;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.ErrorType;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model a session serves, and its contract, as inference-service publishes it
 * ({@code GET /v1/models/{id}}; without a model named, {@code GET /v1/models}'s default), asked once
 * when the session opens: the metadata message carries it, and every observation names the model.
 */
@Component
public class SessionModels {

    private static final Logger log = LoggerFactory.getLogger(SessionModels.class);

    /**
     * @param contract inference-service's document, as it sent it
     * @param summary  what a control loop needs at a glance: id, version, chunk length, control rate,
     *                 action names, cameras, state
     */
    public record SessionModel(String id, JsonNode contract, ObjectNode summary) {

        public List<String> cameras() {
            List<String> names = new ArrayList<>();
            summary.path("cameras").values().forEach(name -> names.add(name.asString()));
            return names;
        }
    }

    private final InferenceCalls inference;
    private final JsonMapper json;

    public SessionModels(InferenceCalls inference, JsonMapper json) {
        this.inference = inference;
        this.json = json;
    }

    /** Model {@code id}'s (null: the default model's); fails with the ApiException a client should see. */
    public Mono<SessionModel> find(ResolvedApiKey key, String requestId, String id) {
        Mono<JsonNode> contract = id == null
                ? document(key, requestId, "/v1/models").map(list -> defaultOf(list))
                : document(key, requestId, "/v1/models/{id}", id);
        return contract.map(found -> new SessionModel(found.path("id").asString(), found, summary(found)));
    }

    private static JsonNode defaultOf(JsonNode list) {
        String id = list.path("default_model").asString("");
        for (JsonNode model : list.path("models").values()) {
            if (model.path("id").asString("").equals(id)) {
                return model;
            }
        }
        throw new ApiException(ApiError.internal());
    }

    private Mono<JsonNode> document(ResolvedApiKey key, String requestId, String path, Object... variables) {
        return inference.get(key, requestId, path, variables)
                .onErrorMap(e -> !(e instanceof ApiException), SessionModels::unreachable)
                .map(answer -> {
                    if (answer.status() == 200) {
                        return json.readTree(answer.body());
                    }
                    throw new ApiException(error(answer));
                });
    }

    /** The errors a routed request gets for the same failures (GatewayErrorHandler). */
    private static ApiException unreachable(Throwable failure) {
        if (Causes.has(failure, ConnectException.class)) {
            return new ApiException(PublicErrorCode.UPSTREAM_UNAVAILABLE.error(
                    "No inference server is reachable right now; retry in a few seconds."));
        }
        if (Causes.has(failure, TimeoutException.class)) {
            return new ApiException(PublicErrorCode.UPSTREAM_TIMEOUT.error("The inference server did not answer in time; retry."));
        }
        if (Causes.has(failure, IOException.class)) {
            return new ApiException(PublicErrorCode.UPSTREAM_CONNECTION_LOST.error(
                    "The inference server closed the connection before answering; retry in a moment."));
        }
        log.error("unexpected failure asking for a model's contract", failure);
        return new ApiException(ApiError.internal());
    }

    private ApiError error(InferenceCalls.Answer answer) {
        HttpStatusCode status = HttpStatusCode.valueOf(answer.status());
        if (status.is4xxClientError()) {
            try {
                JsonNode error = json.readTree(answer.body()).path("error");
                ErrorType type = ErrorType.forStatus(status);
                for (ErrorType candidate : ErrorType.values()) {
                    if (candidate.id().equals(error.path("type").asString(""))) {
                        type = candidate;
                    }
                }
                return new ApiError(status, type, error.path("code").asString("http_" + status.value()),
                        error.path("message").asString(""));
            } catch (RuntimeException notJson) {
                return ApiError.forStatus(status, "GET", "/v1/models");
            }
        }
        return status.value() == 503
                ? PublicErrorCode.UPSTREAM_UNAVAILABLE.error("No inference server can answer right now; retry in a few seconds.")
                : ApiError.internal();
    }

    private static ObjectNode summary(JsonNode contract) {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("id", contract.path("id").asString());
        summary.put("version", contract.path("version").asString(null));
        JsonNode action = contract.path("action");
        summary.put("chunk_length", action.path("chunk_length").asInt(1));
        summary.put("control_rate_hz", action.path("control_rate_hz").asDouble());
        summary.set("action_names", action.path("names").isArray() ? action.path("names") : JsonNodeFactory.instance.arrayNode());
        summary.putArray("cameras").addAll(contract.path("cameras").propertyNames().stream()
                .map(JsonNodeFactory.instance::stringNode).toList());
        summary.set("state", contract.path("state").isObject() ? contract.path("state") : JsonNodeFactory.instance.nullNode());
        return summary;
    }
}
