package org.longnet.engine.translator;

/** The primitive types a generated kernel computes with, as Java spells them. */
enum FuzzType {
    INT("int"), LONG("long"), FLOAT("float"), DOUBLE("double"), BOOLEAN("boolean");

    static final FuzzType[] NUMERIC = {INT, LONG, FLOAT, DOUBLE};
    static final FuzzType[] INTEGRAL = {INT, LONG};

    final String java;

    FuzzType(String java) {
        this.java = java;
    }

    boolean floating() {
        return this == FLOAT || this == DOUBLE;
    }

    boolean integral() {
        return this == INT || this == LONG;
    }

    /** Java's binary numeric promotion of two operand types. */
    static FuzzType promoted(FuzzType a, FuzzType b) {
        return a == DOUBLE || b == DOUBLE ? DOUBLE : a == FLOAT || b == FLOAT ? FLOAT : a == LONG || b == LONG ? LONG : INT;
    }
}
