package com.hourlyanalytics.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerLogTest {

    private static Map<String, FunctionUsage> read(String text) throws Exception {
        ContainerLog log = new ContainerLog();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.write(bytes, 0, bytes.length);
        return log.takeAfterQuiet(0);
    }

    @Test
    void storeCalls_sumUnitsPerOperationAndCountCancelledTransactions() throws Exception {
        FunctionUsage used = read("""
                [IngestFunction#1] STORE-CALL TransactWriteItems cancelled 4.0
                [IngestFunction#1] STORE-CALL UpdateItem ok 1.0
                [IngestFunction#2] STORE-CALL BatchGetItem ok 100.0
                """).get("IngestFunction");

        assertThat(used.calls).containsEntry("TransactWriteItems", 1L).containsEntry("UpdateItem", 1L).containsEntry("BatchGetItem", 1L);
        assertThat(used.outcomes(ContainerStoreCounter.CANCELLED)).isEqualTo(1);
        assertThat(used.writeUnits).isEqualTo(5.0);
        assertThat(used.readUnits).isEqualTo(100.0);
    }

    @Test
    void functionLines_areSizedWithoutPrefixStoreCallsOrReport() throws Exception {
        FunctionUsage used = read("""
                [QueryFunction#1] STORE-CALL BatchGetItem ok 8.0
                [QueryFunction#1] {"status":200,"é":1}
                [QueryFunction#1] REPORT RequestId: 1 Duration: 2.50 ms
                unprefixed runner line
                """).get("QueryFunction");

        assertThat(used.logLines).isEqualTo(1);
        assertThat(used.logBytes).isEqualTo("{\"status\":200,\"é\":1}".getBytes(StandardCharsets.UTF_8).length);
        assertThat(used.invocations).isEqualTo(1);
    }
}
