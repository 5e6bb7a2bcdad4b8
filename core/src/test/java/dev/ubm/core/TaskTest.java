package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskTest {
    @Test
    void hiddenTasksUseTheLeaderboardNames() {
        assertEquals("hidden1", Task.CONVERSION.scoreKey());
        assertEquals("hidden2", Task.PROPENSITY_NEW_SKU.scoreKey());
        assertEquals("hidden3", Task.PROPENSITY_PRICE.scoreKey());
        assertEquals(Task.PROPENSITY_NEW_SKU, Task.ofName("hidden2"));
        assertEquals(Task.CONVERSION, Task.ofName("conversion"));
    }

    @Test
    void targetColumnIsTheLastTokenOfTheTaskName() {
        for (Task t : Task.values()) {
            if (!t.isBinary()) {
                String[] parts = t.cliName().split("_");
                assertEquals(parts[parts.length - 1], t.targetColumn());
            }
        }
    }

    @Test
    void onlyChurnIsRestrictedToActiveClients() {
        assertTrue(Task.CHURN.activeClientsOnly());
        assertFalse(Task.CONVERSION.activeClientsOnly());
        assertTrue(Task.CONVERSION.isBinary());
    }

    @Test
    void unknownTaskNamesTheChoices() {
        BadInputException e = assertThrows(BadInputException.class, () -> Task.ofName("churny"));
        assertTrue(e.getMessage().contains("propensity_sku"));
    }

    @Test
    void eventTypesKnowTheirFiles() {
        assertEquals("url", EventType.PAGE_VISIT.itemColumn());
        assertEquals(EventType.SEARCH_QUERY, EventType.ofStem("search_query"));
        assertEquals(EventType.ADD_TO_CART, EventType.ofCode(EventType.ADD_TO_CART.code()));
        assertThrows(BadInputException.class, () -> EventType.ofStem("purchase"));
    }
}
