"""好差评: ratings of finished services, rectification work orders and appeals."""
