package com.vlaapi.servicecontract.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.servicecontract.LowerCaseId;
import com.vlaapi.testsupport.openapi.OpenApiDocument;
import com.vlaapi.testsupport.openapi.OpenApiDocument.ErrorCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The public API's document (docs/openapi.json) lists, for {@code POST /v1/inference}, exactly the
 * errors the code can answer there ({@link PublicErrorCode}): each with its status and type, and
 * none that the code cannot produce.
 */
class PublicErrorCodeDocumentedTest {

    private final OpenApiDocument document = OpenApiDocument.committed();

    @Test
    void theDocumentedErrorsOfAnInferenceAreExactlyTheCodesCatalogue() {
        Set<ErrorCase> inCode = Arrays.stream(PublicErrorCode.values())
                .map(code -> new ErrorCase(code.status().value(), code.type().id(), code.id()))
                .collect(Collectors.toSet());

        Set<ErrorCase> documented = document.errorCases("/v1/inference", "post");

        assertThat(documented).as("documented but never answered").isSubsetOf(inCode);
        assertThat(inCode).as("answered but not documented").isSubsetOf(documented);
    }

    @Test
    void everyStatusOfTheCatalogueHasItsOwnDocumentedResponse() {
        Set<Integer> statuses = Arrays.stream(PublicErrorCode.values()).map(code -> code.status().value())
                .collect(Collectors.toSet());

        Set<Integer> documented = document.responses("/v1/inference", "post").keySet().stream()
                .filter(status -> status >= 400).collect(Collectors.toSet());

        assertThat(documented).isEqualTo(statuses);
    }

    @Test
    void theErrorShapeListsEveryErrorType() {
        List<String> types = Arrays.stream(ErrorType.values()).map(LowerCaseId::id).toList();

        List<String> documented = new ArrayList<>();
        document.root().at("/components/schemas/Error/properties/error/properties/type/enum")
                .forEach(type -> documented.add(type.asString()));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(types);
    }
}
