package com.vlaapi.customer.admin;

import com.vlaapi.customer.apikey.ApiKey;
import com.vlaapi.customer.apikey.ApiKeyService;
import com.vlaapi.customer.apikey.IssuedApiKey;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/admin/v1/customers/{customer_id}/api-keys")
class ApiKeyAdminController {

    record IssueApiKeyRequest(String name) {
    }

    record ApiKeyList(List<ApiKey> apiKeys) {
    }

    private final ApiKeyService apiKeys;

    ApiKeyAdminController(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** The body is optional: a key without a name is fine. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedApiKey issue(@PathVariable("customer_id") UUID customerId,
                       @RequestBody(required = false) IssueApiKeyRequest request) {
        return apiKeys.issue(customerId, request != null ? request.name() : null);
    }

    @GetMapping
    ApiKeyList list(@PathVariable("customer_id") UUID customerId) {
        return new ApiKeyList(apiKeys.list(customerId));
    }

    @PostMapping("/{key_id}/revoke")
    ApiKey revoke(@PathVariable("customer_id") UUID customerId, @PathVariable("key_id") UUID keyId) {
        return apiKeys.revoke(customerId, keyId);
    }
}
