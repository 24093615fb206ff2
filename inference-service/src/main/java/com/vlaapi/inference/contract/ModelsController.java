package com.vlaapi.inference.contract;

import com.vlaapi.servicecontract.error.PublicErrorCode;
import com.vlaapi.servicecontract.servlet.ServletErrorWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The models' contracts and the parity check. Neither writes the request log nor bills: the
 * gateway routes them unmetered, and nothing here records them.
 */
@RestController
class ModelsController {

    /** Private: the gateway answers only authenticated clients, so no shared cache may keep it. */
    private static final CacheControl CACHE = CacheControl.maxAge(Duration.ofMinutes(5)).cachePrivate();

    private final ModelContracts contracts;
    private final ParityCheck parity;

    ModelsController(ModelContracts contracts, ParityCheck parity) {
        this.contracts = contracts;
        this.parity = parity;
    }

    /** Spring answers 304 itself when If-None-Match names the ETag. */
    @GetMapping("/v1/models")
    ResponseEntity<byte[]> models() {
        return document(contracts.list());
    }

    @GetMapping("/v1/models/{id}")
    ResponseEntity<byte[]> model(@PathVariable String id) {
        return document(contracts.published(id));
    }

    @PostMapping("/v1/models/{id}/parity")
    ParityReport parity(@PathVariable String id, @RequestBody(required = false) ParityRequest body) {
        return parity.check(id, body);
    }

    @ExceptionHandler(ParityCheck.Busy.class)
    void busy(ParityCheck.Busy e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
        ServletErrorWriter.write(request, response, PublicErrorCode.OVERLOADED.error(e.getMessage()));
    }

    private static ResponseEntity<byte[]> document(ModelContracts.Published document) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CACHE).eTag(document.etag())
                .body(document.json());
    }
}
