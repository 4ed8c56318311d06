"""The product inventory (TMF637): what each customer holds, with one transition table for its states."""
