//! The small routines against the `rsa` crate's big integers (num-bigint-dig), which the
//! native builds keep.

use super::Natural;
use proptest::prelude::*;
use rsa::BigUint;

fn big(bytes: &[u8]) -> BigUint {
    BigUint::from_bytes_be(bytes)
}

fn natural(bytes: &[u8]) -> Natural {
    Natural::from_bytes_be(bytes)
}

/// Up to 4096-bit numbers, with leading zero bytes now and then.
fn number() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..512)
}

proptest! {
    #[test]
    fn bytes_decimals_and_bits_agree(bytes in number()) {
        let (ours, theirs) = (natural(&bytes), big(&bytes));
        prop_assert_eq!(ours.to_bytes_be(), theirs.to_bytes_be());
        prop_assert_eq!(ours.to_bytes_le(), theirs.to_bytes_le());
        prop_assert_eq!(ours.to_string(), theirs.to_string());
        prop_assert_eq!(ours.bits(), theirs.bits());
        prop_assert_eq!(ours.is_even(), theirs.to_bytes_le()[0] & 1 == 0);
        let decimal = theirs.to_string();
        prop_assert_eq!(Natural::from_decimal_digits(decimal.as_bytes()), ours);
    }

    #[test]
    fn products_remainders_and_order_agree(a in number(), b in number()) {
        let (x, y) = (natural(&a), natural(&b));
        let (bx, by) = (big(&a), big(&b));
        prop_assert_eq!(x.mul(&y).to_bytes_be(), (&bx * &by).to_bytes_be());
        prop_assert_eq!(x.cmp(&y), bx.cmp(&by));
        if by != BigUint::from(0u32) {
            prop_assert_eq!(x.rem(&y).to_bytes_be(), (&bx % &by).to_bytes_be());
            let product = x.mul(&y);
            prop_assert_eq!(product.rem(&y.minus_one()).to_bytes_be(),
                ((&bx * &by) % (&by - BigUint::from(1u32))).to_bytes_be());
            prop_assert_eq!(y.minus_one().to_bytes_be(), (&by - BigUint::from(1u32)).to_bytes_be());
        }
    }

    /// Short numbers hit the carries and borrows at limb edges more often.
    #[test]
    fn small_numbers_agree(a in any::<u64>(), b in 1..u64::MAX) {
        let (x, y) = (natural(&a.to_be_bytes()), natural(&b.to_be_bytes()));
        prop_assert_eq!(x.rem(&y).to_string(), (a % b).to_string());
        prop_assert_eq!(x.mul(&y).to_string(), (u128::from(a) * u128::from(b)).to_string());
        prop_assert_eq!(y.minus_one().to_string(), (b - 1).to_string());
    }
}

#[test]
fn zero_and_limb_edges() {
    assert_eq!(Natural::default().to_string(), "0");
    assert_eq!(Natural::default().to_bytes_be(), vec![0]);
    assert_eq!(Natural::default().bits(), 0);
    assert!(Natural::default().is_even());
    assert_eq!(
        Natural::from_decimal_digits(b"4294967296").to_bytes_be(),
        vec![1, 0, 0, 0, 0]
    );
    assert_eq!(
        Natural::from_decimal_digits(b"1000000000").to_string(),
        "1000000000"
    );
    assert_eq!(
        Natural::from(1u32).rem(&Natural::default()),
        Natural::default()
    );
    assert_eq!(
        natural(&[1, 0, 0, 0, 0]).minus_one().to_bytes_be(),
        vec![255; 4]
    );
}
