package com.hourlyanalytics.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CloudFormationYamlTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void read_shortFormIntrinsics_becomeLongForm() throws Exception {
        JsonNode node = CloudFormationYaml.parse("""
                a: !Ref Table
                b: !GetAtt Table.Arn
                c: !GetAtt [Table, StreamArn]
                d: !Sub arn:${AWS::Partition}:x
                e: !If [Cond, !Ref AWS::NoValue, 0]
                f: !Not [!Equals [!Ref P, '']]
                g: !Condition Cond
                """);

        assertThat(node).isEqualTo(json("""
                {'a': {'Ref': 'Table'},
                 'b': {'Fn::GetAtt': ['Table', 'Arn']},
                 'c': {'Fn::GetAtt': ['Table', 'StreamArn']},
                 'd': {'Fn::Sub': 'arn:${AWS::Partition}:x'},
                 'e': {'Fn::If': ['Cond', {'Ref': 'AWS::NoValue'}, 0]},
                 'f': {'Fn::Not': [{'Fn::Equals': [{'Ref': 'P'}, '']}]},
                 'g': {'Condition': 'Cond'}}
                """));
    }

    @Test
    void read_taggedBlockScalarAndMapping_keepTheirContent() throws Exception {
        JsonNode node = CloudFormationYaml.parse("""
                body: !Sub |
                  {"x": "${Name}"}
                joined: !Join
                  - ''
                  - [a, !Ref B]
                plain: {n: 5, t: true, s: 'x'}
                """);

        assertThat(node.at("/body/Fn::Sub").asText()).isEqualTo("{\"x\": \"${Name}\"}\n");
        assertThat(node.get("joined")).isEqualTo(json("{'Fn::Join': ['', ['a', {'Ref': 'B'}]]}"));
        assertThat(node.get("plain")).isEqualTo(json("{'n': 5, 't': true, 's': 'x'}"));
    }
}
