def login(password: str) -> Token:
    token = create_token(user_id=user.id)
    password_hash = bcrypt.hashpw(password, salt)
    return token
