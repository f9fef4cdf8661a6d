package com.hourlyanalytics.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Keeps every request a DynamoDB client sends, so tests can assert the exact calls and expressions. */
public final class RecordingInterceptor implements ExecutionInterceptor {

    private final List<SdkRequest> requests = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        synchronized (requests) {
            requests.add(context.request());
        }
    }

    public <T extends SdkRequest> List<T> requests(Class<T> type) {
        synchronized (requests) {
            return requests.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /**
     * Every update sent, in order: each plain UpdateItem (as the equivalent transaction action) and each transaction's
     * Update action, so a test can check the counter writes whichever way they went.
     */
    public List<Update> updates() {
        return requests(SdkRequest.class).stream().<Update>mapMulti((request, updates) -> {
            if (request instanceof UpdateItemRequest plain) {
                updates.accept(Update.builder().tableName(plain.tableName()).key(plain.key())
                        .updateExpression(plain.updateExpression()).conditionExpression(plain.conditionExpression())
                        .expressionAttributeValues(plain.expressionAttributeValues()).build());
            } else if (request instanceof TransactWriteItemsRequest transaction) {
                transaction.transactItems().stream().map(TransactWriteItem::update).filter(Objects::nonNull)
                        .forEach(updates);
            }
        }).toList();
    }

    /** The Put actions of every transaction sent, in order. */
    public List<Put> transactionPuts() {
        return requests(TransactWriteItemsRequest.class).stream()
                .flatMap(transaction -> transaction.transactItems().stream().map(TransactWriteItem::put))
                .filter(Objects::nonNull).toList();
    }

    public int count() {
        synchronized (requests) {
            return requests.size();
        }
    }

    public void clear() {
        synchronized (requests) {
            requests.clear();
        }
    }
}
