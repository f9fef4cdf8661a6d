package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableLayoutTest {

    private static final Hour HOUR = new Hour(494_482);

    private static final Pseudonyms KEY = new Pseudonyms("a test key of at least thirty-two characters");

    @Test
    void clearMarkerKey_userIdThatLooksLikeAKey_cannotCollideWithAnotherHour() {
        // Hour 1 with user "2#x" and hour 12 with user "x" would collide under a naive "<hour><user>" format.
        assertThat(TableLayout.clearMarkerKey(Partner.DEFAULT, new Hour(1), "2#x"))
                .isEqualTo("user#1#2#x")
                .isNotEqualTo(TableLayout.clearMarkerKey(Partner.DEFAULT, new Hour(12), "x"));
        assertThat(TableLayout.clearMarkerKey(Partner.DEFAULT, new Hour(1), "x")).isNotEqualTo(TableLayout.counterKey(Partner.DEFAULT, new Hour(1)));
    }

    @Test
    void markerKey_holdsThePseudonymNotTheUserId() {
        String pseudonym = KEY.of(Partner.DEFAULT, "alice@example.com");

        assertThat(TableLayout.markerKey(Partner.DEFAULT, HOUR, pseudonym))
                .isEqualTo("visitor#494482#" + pseudonym)
                .doesNotContain("alice");
    }

    @Test
    void counterKey_namesTheHourIndex() {
        assertThat(TableLayout.counterKey(Partner.DEFAULT, Hour.containing(10_032_342_000L))).isEqualTo("hour#2786");
    }

    @Test
    void counterKey_shardZeroIsTheUnshardedKey_othersAppendTheShard() {
        assertThat(TableLayout.counterKey(Partner.DEFAULT, HOUR, 0)).isEqualTo("hour#494482").isEqualTo(TableLayout.counterKey(Partner.DEFAULT, HOUR));
        assertThat(TableLayout.counterKey(Partner.DEFAULT, HOUR, 7)).isEqualTo("hour#494482#7");
    }

    @Test
    void markerExpiresAt_isHourEndPlusRetentionPlusGrace() {
        Hour hour = Hour.containing(Instant.parse("2026-11-28T10:15:00Z"));

        assertThat(TableLayout.markerExpiresAt(hour, Duration.ofDays(30)))
                .isEqualTo(Instant.parse("2026-12-28T12:00:00Z").getEpochSecond());
    }

    @Test
    void keys_namedPartner_areScopedByTheEscapedId() {
        Partner partner = new Partner("k1#%x");

        assertThat(TableLayout.counterKey(partner, HOUR)).isEqualTo("p#k1%23%25x#hour#494482");
        assertThat(TableLayout.counterKey(partner, HOUR, 3)).isEqualTo("p#k1%23%25x#hour#494482#3");
        assertThat(TableLayout.markerKey(partner, HOUR, "P")).isEqualTo("p#k1%23%25x#visitor#494482#P");
        assertThat(TableLayout.clearMarkerKey(partner, HOUR, "u#1")).isEqualTo("p#k1%23%25x#user#494482#u#1");
    }

    @Test
    void keys_defaultPartner_keepTheUnscopedLayoutOfDataWrittenBeforePartners() {
        assertThat(TableLayout.clearMarkerKey(Partner.DEFAULT, HOUR, "u")).isEqualTo("user#494482#u");
        assertThat(TableLayout.markerKey(Partner.DEFAULT, HOUR, "P")).isEqualTo("visitor#494482#P");
        assertThat(TableLayout.counterKey(Partner.DEFAULT, HOUR, 2)).isEqualTo("hour#494482#2");
    }

    /**
     * Every partner id and user id of up to 3 characters over the characters a naive scheme would mix up (the
     * separator, the escape, digits, the prefixes' letters, a non-ASCII letter), in two hours whose digits are
     * prefixes of each other: no two (partner, hour, user) and no two (partner, hour, shard) share a key, whether the
     * marker is keyed by the pseudonym or (an hour counted before pseudonyms) by the user id, and no marker shares one
     * with a counter. Pseudonyms of distinct (partner, user) pairs are distinct too: the HMAC's input is injective.
     */
    @Test
    void keys_hostileIdsExhaustively_neverCollide() {
        List<String> ids = strings("#%23pé", 3);
        List<Hour> hours = List.of(new Hour(1), new Hour(12));
        Map<String, String> owners = new HashMap<>();
        for (String partnerId : ids) {
            Partner partner = partnerId.isEmpty() ? Partner.DEFAULT : new Partner(partnerId);
            for (Hour hour : hours) {
                for (String user : ids) {
                    String owner = partnerId + "/" + hour.index() + "/" + user;
                    claim(owners, TableLayout.clearMarkerKey(partner, hour, user), "clear marker " + owner);
                    claim(owners, TableLayout.markerKey(partner, hour, KEY.of(partner, user)), "marker " + owner);
                }
                for (int shard = 0; shard < 13; shard++) {
                    claim(owners, TableLayout.counterKey(partner, hour, shard), "counter " + partnerId + "/" + hour.index() + "/" + shard);
                }
            }
        }
        assertThat(owners).hasSize(ids.size() * hours.size() * (2 * ids.size() + 13));
        assertThat(owners).doesNotContainKey(TableLayout.PRIMING_KEY);
    }

    private static void claim(Map<String, String> owners, String key, String owner) {
        String previous = owners.put(key, owner);
        assertThat(previous).as("key %s of %s", key, owner).isNull();
    }

    /** Every string of 0 to {@code maxLength} characters over the alphabet. */
    private static List<String> strings(String alphabet, int maxLength) {
        List<String> all = new ArrayList<>(List.of(""));
        for (int from = 0, length = 1; length <= maxLength; length++) {
            int to = all.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    all.add(all.get(i) + c);
                }
            }
            from = to;
        }
        return all;
    }
}
